// Identifiers made in the browser: one per event (the collector's idempotency key, so a retried or
// replayed event is stored once), one per visitor (a first-party id kept in localStorage), and the
// person id of identify (a hash, so the address it stands for never leaves the browser).

export const VISITOR_KEY = 'waymark_vid';

/** Bytes in lower-case hex, two digits each. */
export const hex = (bytes: ArrayBuffer | Uint8Array): string =>
  // 256 | byte is 1xx in hex: its last two digits are the byte, zero-padded.
  Array.from(new Uint8Array(bytes), (byte) => (256 | byte).toString(16).slice(1)).join('');

/** 32 hex digits holding 128 random bits (a UUID has 122); hex because identify needs it anyway. */
export const randomId = (): string => hex(crypto.getRandomValues(new Uint8Array(16)));

/**
 * An event id: the client's clock in base 36 (8 characters until 2059), then 96 random bits. Ids of
 * events sent at about the same time sort together, so the collector's unique index on them takes
 * new ids near its end instead of on a random page each (bench/: fewer pages written per event).
 */
export function eventId(): string {
  return Date.now().toString(36) + randomId().slice(8);
}

/**
 * The visitor id stored on this device, created on first use unless `storedOnly`: a site in consent
 * mode reads, before consent, only an id that consent given on an earlier page has written.
 * Undefined when the visitor asked not to be tracked (Do-Not-Track or Global Privacy Control: then
 * nothing is read from or written to the device, whatever the page says about consent) or when
 * storage is unavailable; the collector then counts the visitor with an anonymous id of its own.
 */
export function readVisitorId(storedOnly?: boolean): string | undefined {
  const nav = navigator as Navigator & { globalPrivacyControl?: boolean; doNotTrack?: string | null };
  if (nav.globalPrivacyControl || nav.doNotTrack == '1') return;
  try {
    let id = localStorage.getItem(VISITOR_KEY);
    // Replace anything we did not write (edited by hand, another script's value): the collector would reject it.
    if (!id || !/^[\w-]{22,64}$/.test(id)) {
      if (storedOnly) return;
      localStorage.setItem(VISITOR_KEY, (id = randomId()));
    }
    return id;
  } catch {
    // Storage is blocked (Safari private mode, cookies disabled, sandboxed iframe) or full. Sending no
    // visitor is safe: the collector derives an anonymous one. A fresh random id per page would be worse,
    // counting every pageview as a new visitor.
  }
}

/** The visitor withdrew consent: the stored id is deleted, so no later page carries it on. */
export function forgetVisitorId(): void {
  try {
    localStorage.removeItem(VISITOR_KEY);
  } catch {
    // Storage is blocked, so nothing was stored to forget.
  }
}

/**
 * The person id of waymark('identify', address): SHA-256 in hex of the address or user id, trimmed
 * and lower-cased so that " Ana@Example.com" at sign-up and "ana@example.com" at log-in are one
 * person. Rejects for a blank address, whose hash would make one person of everybody; throws where
 * crypto.subtle is missing (it exists only on https pages and localhost).
 */
export function personId(address: string): Promise<string> {
  const text = address.trim().toLowerCase();
  return text ? crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)).then(hex) : Promise.reject();
}

// Identifiers made in the browser: one per event (the collector's idempotency key, so a retried or
// replayed event is stored once) and one per visitor (a first-party id kept in localStorage).

export const VISITOR_KEY = 'waymark_vid';

/** 22 characters of [A-Za-z0-9_-] holding 128 random bits (a UUID has 122). */
export function randomId(): string {
  // URL-safe base64 of 16 random bytes, without its '==' padding; smaller than shipping an alphabet.
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))))
    .slice(0, 22)
    .replace(/\+/g, '-')
    .replace(/\//g, '_');
}

/**
 * An event id: the client's clock in base 36 (8 characters until 2059), then 84 random bits. Ids of
 * events sent at about the same time sort together, so the collector's unique index on them takes
 * new ids near its end instead of on a random page each (bench/: fewer pages written per event).
 */
export function eventId(): string {
  return Date.now().toString(36) + randomId().slice(8);
}

/**
 * The visitor id stored on this device, created on first use.
 * Undefined when the visitor asked not to be tracked (Do-Not-Track or Global Privacy Control: then
 * nothing is read from or written to the device) or when storage is unavailable; the collector then
 * counts the visitor with an anonymous id of its own.
 */
export function readVisitorId(): string | undefined {
  const nav = navigator as Navigator & { globalPrivacyControl?: boolean; doNotTrack?: string | null };
  if (nav.globalPrivacyControl || nav.doNotTrack == '1') return;
  try {
    let id = localStorage.getItem(VISITOR_KEY);
    // Replace anything we did not write (edited by hand, another script's value): the collector would reject it.
    if (!id || !/^[\w-]{22,64}$/.test(id)) localStorage.setItem(VISITOR_KEY, (id = randomId()));
    return id;
  } catch {
    // Storage is blocked (Safari private mode, cookies disabled, sandboxed iframe) or full. Sending no
    // visitor is safe: the collector derives an anonymous one. A fresh random id per page would be worse,
    // counting every pageview as a new visitor.
    return;
  }
}

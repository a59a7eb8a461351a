// Chrome's user agent string is frozen (Windows 11 says "Windows NT 10.0", Android phones say "K"):
// navigator.userAgentData gives the real platform version and model back. The high-entropy values
// come from a promise, so every send waits for it; it settles within a few milliseconds.

interface Brand {
  brand: string;
  version: string;
}

export interface ClientHints {
  brands?: Brand[];
  mobile?: boolean;
  platform?: string;
  platformVersion?: string;
  model?: string;
  maxTouchPoints?: number;
}

interface UserAgentData extends ClientHints {
  getHighEntropyValues(hints: string[]): Promise<ClientHints>;
}

// Only the keys the collector's schema knows (it refuses others), within its bounds. Chrome's own
// values are short; the cuts guard against a page that replaced userAgentData.
const pick = (data: ClientHints): ClientHints => ({
  brands: data.brands?.slice(0, 10),
  mobile: data.mobile,
  platform: data.platform?.slice(0, 100),
  platformVersion: data.platformVersion?.slice(0, 100),
  model: data.model?.slice(0, 100),
});

/** Resolves to the hints this browser gives (undefined in browsers without userAgentData). */
export async function readClientHints(): Promise<ClientHints | undefined> {
  const data = (navigator as Navigator & { userAgentData?: UserAgentData }).userAgentData;
  // iPadOS Safari claims to be a Mac and has no userAgentData; no Mac has a touch screen. Sent only
  // then, so it is not one more fingerprinting bit for everyone else.
  if (!data) return /Macintosh/.test(navigator.userAgent) && navigator.maxTouchPoints > 1 ? { maxTouchPoints: navigator.maxTouchPoints } : undefined;
  try {
    return pick(await data.getHighEntropyValues(['platformVersion', 'model']));
  } catch {
    // Refused, or not offered by a page's stand-in for userAgentData: the low-entropy values will do.
    return pick(data);
  }
}

/**
 * User-agent client hints: what Chromium browsers say about themselves now that
 * their User-Agent string is frozen ("Android 10; K", "Windows NT 10.0" on
 * Windows 11, "Mac OS X 10_15_7" on every Mac).
 *
 * They reach us two ways with the same shape: the Sec-CH-UA* request headers
 * (parsed here), or the tracker copying `navigator.userAgentData` values into
 * the event body (field names as in the NavigatorUAData API, so the tracker can
 * send what `getHighEntropyValues()` resolves to unchanged).
 */
export interface ClientHints {
  /** Sec-CH-UA, or `userAgentData.brands`: major versions only. */
  brands?: ClientHintBrand[];
  /** Sec-CH-UA-Full-Version-List, or the `fullVersionList` high-entropy value. */
  fullVersionList?: ClientHintBrand[];
  /** Sec-CH-UA-Mobile: the browser wants the mobile experience (false on tablets). */
  mobile?: boolean;
  /** "Windows", "macOS", "Android", "Linux", "Chrome OS", "iOS", … */
  platform?: string;
  /** "15.0.0": on Windows, 13 and above is Windows 11. */
  platformVersion?: string;
  /** Sec-CH-UA-Model, e.g. "Pixel 8"; empty, so absent, everywhere but Android. */
  model?: string;
  architecture?: string;
  bitness?: string;
  /**
   * Not a client hint: `navigator.maxTouchPoints`, sent by the tracker only.
   * iPadOS Safari sends a Mac user agent and no client hints, so a request from
   * an iPad is byte-for-byte a request from a Mac; no Mac has a touch screen,
   * so a Mac user agent with more than one touch point is an iPad.
   */
  maxTouchPoints?: number;
}

export interface ClientHintBrand {
  brand: string;
  version: string;
}

/**
 * Real values are short ("Google Chrome", "124.0.6367.82", "SM-S918B"); a
 * longer string is junk, and the bound keeps cache keys and stored bodies small.
 */
export const MAX_CLIENT_HINT_LENGTH = 100;

/** Browsers send three brands (one of them GREASE); ten leaves room for forks. */
export const MAX_CLIENT_HINT_BRANDS = 10;

// A list header longer than every allowed entry at full length cannot be valid;
// refusing it before parsing bounds the work a hostile header can cause.
const MAX_LIST_HEADER_LENGTH = MAX_CLIENT_HINT_BRANDS * (2 * MAX_CLIENT_HINT_LENGTH + 16);

/**
 * Parses the Sec-CH-UA* request headers; null when none is present (or none is
 * valid). Never throws on malformed input: a header that is not valid
 * structured-field syntax (RFC 8941), is empty or exceeds the bounds is ignored
 * on its own, and the others are kept.
 */
export function clientHintsFromHeaders(header: (name: string) => string | undefined | null): ClientHints | null {
  const hints: ClientHints = {};
  const brands = brandList(header('sec-ch-ua'));
  if (brands) hints.brands = brands;
  const fullVersionList = brandList(header('sec-ch-ua-full-version-list'));
  if (fullVersionList) hints.fullVersionList = fullVersionList;
  const mobile = header('sec-ch-ua-mobile')?.trim();
  if (mobile === '?1' || mobile === '?0') hints.mobile = mobile === '?1';
  const platform = boundedString(header('sec-ch-ua-platform'));
  if (platform) hints.platform = platform;
  const platformVersion = boundedString(header('sec-ch-ua-platform-version'));
  if (platformVersion) hints.platformVersion = platformVersion;
  const model = boundedString(header('sec-ch-ua-model'));
  if (model) hints.model = model;
  const architecture = boundedString(header('sec-ch-ua-arch'));
  if (architecture) hints.architecture = architecture;
  const bitness = boundedString(header('sec-ch-ua-bitness'));
  if (bitness) hints.bitness = bitness;
  return Object.keys(hints).length > 0 ? hints : null;
}

/** True when the hints name a headless browser (a "HeadlessChrome" brand) — used by the bot step. */
export function hintsSayHeadless(hints: ClientHints | null | undefined): boolean {
  if (!hints) return false;
  const named = (list: ClientHintBrand[] | undefined) =>
    Array.isArray(list) && list.some((entry) => typeof entry?.brand === 'string' && /headless/i.test(entry.brand));
  return named(hints.brands) || named(hints.fullVersionList);
}

/** An sf-string header value, or undefined when absent, empty, too long or malformed. */
function boundedString(value: string | undefined | null): string | undefined {
  // Room for the quotes and for every character escaped; the parsed value is checked again.
  if (!value || value.length > 2 * MAX_CLIENT_HINT_LENGTH + 2) return undefined;
  const reader = new StructuredFieldReader(value);
  reader.skipSpaces();
  const parsed = reader.string();
  reader.skipSpaces();
  if (parsed === undefined || !reader.atEnd() || parsed.length > MAX_CLIENT_HINT_LENGTH) return undefined;
  return parsed || undefined;
}

/**
 * An sf-list of sf-strings each with a `v` parameter, as in
 * `"Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"`.
 * Per RFC 8941 §4.2, a list that fails to parse is ignored as a whole.
 */
function brandList(value: string | undefined | null): ClientHintBrand[] | undefined {
  if (!value || value.length > MAX_LIST_HEADER_LENGTH) return undefined;
  const reader = new StructuredFieldReader(value);
  const brands: ClientHintBrand[] = [];
  reader.skipSpaces();
  while (!reader.atEnd()) {
    const brand = reader.string();
    if (brand === undefined) return undefined;
    let version = '';
    while (reader.take(';')) {
      reader.skipSpaces();
      const key = reader.key();
      if (key === undefined) return undefined;
      // A parameter without a value is boolean true (RFC 8941 §3.1.2).
      const parameterValue = reader.take('=') ? reader.bareItem() : true;
      if (parameterValue === undefined) return undefined;
      if (key === 'v' && typeof parameterValue === 'string') version = parameterValue;
    }
    if (brand.length > MAX_CLIENT_HINT_LENGTH || version.length > MAX_CLIENT_HINT_LENGTH) return undefined;
    brands.push({ brand, version });
    if (brands.length > MAX_CLIENT_HINT_BRANDS) return undefined;
    reader.skipWhitespace();
    if (reader.atEnd()) break;
    if (!reader.take(',')) return undefined;
    reader.skipWhitespace();
    // A trailing comma is malformed (RFC 8941 §4.2.1).
    if (reader.atEnd()) return undefined;
  }
  return brands.length > 0 ? brands : undefined;
}

/** The few productions of RFC 8941 that the Sec-CH-UA* headers use. */
class StructuredFieldReader {
  #at = 0;
  readonly #text: string;

  constructor(text: string) {
    this.#text = text;
  }

  atEnd(): boolean {
    return this.#at >= this.#text.length;
  }

  take(char: string): boolean {
    if (this.#text[this.#at] !== char) return false;
    this.#at++;
    return true;
  }

  skipSpaces(): void {
    while (this.#text[this.#at] === ' ') this.#at++;
  }

  skipWhitespace(): void {
    while (this.#text[this.#at] === ' ' || this.#text[this.#at] === '\t') this.#at++;
  }

  /** sf-string: printable ASCII in quotes, where only `\"` and `\\` are escapes. */
  string(): string | undefined {
    if (!this.take('"')) return undefined;
    let out = '';
    while (this.#at < this.#text.length) {
      const char = this.#text[this.#at++]!;
      if (char === '"') return out;
      if (char === '\\') {
        const escaped = this.#text[this.#at++];
        if (escaped !== '"' && escaped !== '\\') return undefined;
        out += escaped;
        continue;
      }
      const code = char.charCodeAt(0);
      if (code < 0x20 || code > 0x7e) return undefined;
      out += char;
    }
    return undefined;
  }

  /** A parameter key: lcalpha or "*", then lcalpha, digits, "_", "-", ".", "*". */
  key(): string | undefined {
    const match = /^[a-z*][a-z0-9_\-.*]*/.exec(this.#text.slice(this.#at, this.#at + MAX_CLIENT_HINT_LENGTH));
    if (!match) return undefined;
    this.#at += match[0].length;
    return match[0];
  }

  /** A parameter value; only strings matter to us, other valid bare items are skipped over. */
  bareItem(): string | boolean | undefined {
    if (this.#text[this.#at] === '"') return this.string();
    const match = /^(?:\?[01]|-?\d{1,15}(?:\.\d{1,3})?|[A-Za-z*][\w!#$%&'*+\-.^`|~:/]*)/.exec(
      this.#text.slice(this.#at, this.#at + MAX_CLIENT_HINT_LENGTH),
    );
    if (!match) return undefined;
    this.#at += match[0].length;
    return true;
  }
}

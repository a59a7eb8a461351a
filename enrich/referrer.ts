export interface ReferrerInfo {
  /** Lower-cased, without a leading "www.", so www.google.com and google.com are one source. */
  host: string | null;
  /** The visitor came from another page of the same site. */
  internal: boolean;
}

export interface ParsedReferrer {
  /** As in ReferrerInfo.host; for an Android app, its package name. */
  host: string;
  /** The referrer names an Android app, not a web page: its host is a package name. */
  app: boolean;
  url: URL;
}

const NO_REFERRER: ReferrerInfo = Object.freeze({ host: null, internal: false });

/**
 * Android apps that open links in a browser send `android-app://<package>/` as
 * the referrer (Gmail is android-app://com.google.android.gm/); the package name
 * is the only source we will get for that visit.
 */
const ANDROID_APP_PROTOCOL = 'android-app:';

/**
 * Reduces a document.referrer to the host that sent the visitor.
 *
 * Browsers send only the origin for cross-site navigations by default
 * (Referrer-Policy: strict-origin-when-cross-origin), so the host is all that
 * is reliably there; the path is not kept.
 */
export function classifyReferrer(referrer: string | null | undefined, pageHost: string): ReferrerInfo {
  const parsed = parseReferrer(referrer);
  if (!parsed) return NO_REFERRER;
  return { host: parsed.host, internal: !parsed.app && isSameSite(parsed.host, pageHost) };
}

/**
 * The referrer as a URL with its normalised host, or null when it names no
 * place a visitor can come from (empty, malformed, file:, browser extensions).
 */
export function parseReferrer(referrer: string | null | undefined): ParsedReferrer | null {
  if (!referrer) return null;
  let url: URL;
  try {
    url = new URL(referrer.trim());
  } catch {
    return null;
  }
  if (url.protocol === ANDROID_APP_PROTOCOL) {
    const app = url.hostname.toLowerCase();
    return app === '' ? null : { host: app, app: true, url };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const host = siteName(url.hostname);
  return host === '' ? null : { host, app: false, url };
}

/**
 * Whether a normalised referrer host is the page's own site or one of the
 * hosts its owner counts as the same site (a shop on another subdomain).
 */
export function isSameSite(host: string, pageHost: string, siteHosts: readonly string[] = []): boolean {
  if (host === siteName(hostnameOf(pageHost))) return true;
  for (const siteHost of siteHosts) if (host === siteName(hostnameOf(siteHost))) return true;
  return false;
}

/**
 * "www." is a leftover convention, not a different site; a trailing dot is the
 * fully-qualified spelling of the same name.
 */
export function siteName(hostname: string): string {
  const lower = hostname.toLowerCase().replace(/\.$/, '');
  return lower.startsWith('www.') ? lower.slice(4) : lower;
}

// Page hosts carry a port when one is not the default (localhost:8080, [::1]:3000);
// the port does not make it another site.
function hostnameOf(pageHost: string): string {
  try {
    return new URL(`http://${pageHost}`).hostname;
  } catch {
    return pageHost;
  }
}

export interface ReferrerInfo {
  /** Lower-cased, without a leading "www.", so www.google.com and google.com are one source. */
  host: string | null;
  /** The visitor came from another page of the same site. */
  internal: boolean;
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
  if (!referrer) return NO_REFERRER;
  let parsed: URL;
  try {
    parsed = new URL(referrer.trim());
  } catch {
    return NO_REFERRER;
  }
  if (parsed.protocol === ANDROID_APP_PROTOCOL) {
    const app = parsed.hostname.toLowerCase();
    return app === '' ? NO_REFERRER : { host: app, internal: false };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return NO_REFERRER;
  const host = siteName(parsed.hostname);
  if (host === '') return NO_REFERRER;
  return { host, internal: host === siteName(hostnameOf(pageHost)) };
}

/**
 * "www." is a leftover convention, not a different site; a trailing dot is the
 * fully-qualified spelling of the same name.
 */
function siteName(hostname: string): string {
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

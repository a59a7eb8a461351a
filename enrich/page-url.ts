export interface PageUrl {
  /** The rebuilt URL, still percent-encoded so it can be followed. */
  url: string;
  /** Lower-cased, without the scheme's default port. */
  host: string;
  /** Decoded for reading and grouping: /caf%C3%A9 and /café are one page. */
  path: string;
  /** Campaign keys only. */
  query: URLSearchParams;
}

/**
 * The only query keys kept: UTM tags and ad click ids. Everything else in a
 * query string (search terms, e-mail addresses, session tokens, reset links)
 * is dropped before storage, because a page URL is sent for every visitor and
 * query strings are where personal data leaks in.
 */
export const CAMPAIGN_QUERY_KEYS: readonly string[] = Object.freeze([
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_term',
  'utm_content',
  'gclid', // Google Ads
  'fbclid', // Meta
  'msclkid', // Microsoft Ads
  'ttclid', // TikTok
  'twclid', // X / Twitter
  'li_fat_id', // LinkedIn
  'dclid', // Google Display & Video 360
  'gbraid', // Google Ads, iOS app-to-web
  'wbraid', // Google Ads, iOS web-to-app
]);

const CAMPAIGN_KEY_SET: ReadonlySet<string> = new Set(CAMPAIGN_QUERY_KEYS);

/** What a site asks for beyond the defaults (collector/sites.ts). */
export interface PageUrlOptions {
  /** The site routes by fragment (`/#/pricing`): the route is part of the page, its own query is not. */
  hashRouting?: boolean;
  /** Query keys the site wants kept as well (a product id, a page number), matched exactly. */
  extraQueryKeys?: readonly string[];
}

/**
 * Reduces a page URL to what analytics stores: scheme, host, path and campaign
 * keys (plus what the site asked for). Returns null for anything that is not an
 * absolute http(s) URL (file:, about:blank, browser-extension pages, relative or
 * malformed input).
 */
export function normalisePageUrl(raw: string, { hashRouting = false, extraQueryKeys = [] }: PageUrlOptions = {}): PageUrl | null {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;

  const query = campaignQuery(parsed.searchParams);
  const kept = extraQueryKeys.length > 0 ? withExtraKeys(query, parsed.searchParams, extraQueryKeys) : query;
  const search = kept.size > 0 ? `?${kept}` : '';
  // A fragment route's own query (#/search?q=...) leaks what a page query would: it is dropped too.
  const route = hashRouting && parsed.hash.length > 1 ? parsed.hash.split('?')[0]! : '';
  // WHATWG URL parsing already lower-cases the host, drops a default port and
  // resolves dot segments; user:password@ and (unless routed by) the fragment are left out here.
  return {
    url: `${parsed.protocol}//${parsed.host}${parsed.pathname}${search}${route}`,
    host: parsed.host,
    path: decodePath(parsed.pathname) + decodePath(route),
    query,
  };
}

function withExtraKeys(campaign: URLSearchParams, params: URLSearchParams, extraKeys: readonly string[]): URLSearchParams {
  const kept = new URLSearchParams(campaign);
  for (const key of extraKeys) {
    const value = params.get(key);
    if (value !== null && !kept.has(key)) kept.append(key, value);
  }
  return kept;
}

function campaignQuery(params: URLSearchParams): URLSearchParams {
  const kept = new URLSearchParams();
  for (const [key, value] of params) {
    // Hand-written links carry UTM_Source as often as utm_source; both mean the same campaign.
    const name = key.toLowerCase();
    // The first value wins, as in the browser's own URLSearchParams.get().
    if (CAMPAIGN_KEY_SET.has(name) && !kept.has(name)) kept.append(name, value);
  }
  return kept;
}

function decodePath(pathname: string): string {
  try {
    // decodeURI, not decodeURIComponent: an encoded "/" (%2F) or "?" must stay
    // encoded, or two different pages would read as one.
    return decodeURI(pathname);
  } catch {
    // A malformed escape (/100%) is still a page; keep it as sent.
    return pathname;
  }
}

import { CAMPAIGN_QUERY_KEYS } from './page-url.ts';

export interface Campaign {
  source: string | null;
  medium: string | null;
  campaign: string | null;
  term: string | null;
  content: string | null;
  /** The name of the ad click-id key present (e.g. 'gclid'), never its value. */
  clickId: string | null;
}

/** Campaign names are labels for a dashboard row; longer values are pasted junk. */
export const MAX_CAMPAIGN_VALUE_LENGTH = 200;

// One list of keys, kept in page-url.ts, decides both what survives in stored
// URLs and what is read here; the click ids are the ones that are not UTM tags.
// fbclid goes last: Facebook adds it to organic shares too, so when an ad
// platform's click id is also there, that one says more about the visit.
const CLICK_ID_KEYS = [
  ...CAMPAIGN_QUERY_KEYS.filter((key) => !key.startsWith('utm_') && key !== 'fbclid'),
  'fbclid',
];

/**
 * Reads UTM tags and click ids from a page's query (keys as normalisePageUrl
 * leaves them: lower-case).
 *
 * The click id's value is an opaque per-click token that can join our data with
 * an ad platform's; its key alone says which platform sent the visitor.
 */
export function parseCampaign(query: URLSearchParams): Campaign {
  return {
    // Sources are typed by hand in links ("Newsletter", "newsletter"): lower-case
    // so one source is one row. Other tags keep their case, which marketers use.
    source: campaignValue(query, 'utm_source')?.toLowerCase() ?? null,
    medium: campaignValue(query, 'utm_medium'),
    campaign: campaignValue(query, 'utm_campaign'),
    term: campaignValue(query, 'utm_term'),
    content: campaignValue(query, 'utm_content'),
    clickId: CLICK_ID_KEYS.find((key) => campaignValue(query, key) !== null) ?? null,
  };
}

function campaignValue(query: URLSearchParams, key: string): string | null {
  const value = query.get(key)?.trim();
  if (!value) return null;
  return cutToLength(value, MAX_CAMPAIGN_VALUE_LENGTH);
}

/** Cuts a label to at most maxLength UTF-16 units without splitting a character. */
export function cutToLength(value: string, maxLength: number): string {
  if (value.length <= maxLength) return value;
  const cut = value.slice(0, maxLength);
  // Never end on half of a surrogate pair: the stored string would not be valid UTF-8.
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

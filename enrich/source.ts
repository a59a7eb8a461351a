import { type Campaign, cutToLength } from './campaign.ts';
import { isSameSite, parseReferrer, type ParsedReferrer, siteName } from './referrer.ts';
import { type KnownReferrer, lookupReferrerApp, lookupReferrerHost } from './referrer-database.ts';

export type Medium = 'search' | 'social' | 'email' | 'ai-assistant' | 'referral' | 'internal' | 'direct' | 'paid' | 'campaign';

export interface Source {
  medium: Medium;
  /** The source's name (Google, Reddit, a utm_source, a referring host); null only for direct and internal. */
  source: string | null;
  /** The search term, when the referrer or utm_term still carries one. */
  term: string | null;
}

export interface SourceInput {
  /** document.referrer as the browser sent it (with its query: that is where a search term is). */
  referrer: string | null;
  /** The page's host; a referrer on it, with or without "www.", is internal. */
  pageHost: string;
  /** Other hosts that are the same site to its owner (a shop on another subdomain). */
  siteHosts?: readonly string[];
  campaign: Campaign;
}

/** Dashboard labels; a longer name or term is pasted junk. */
export const MAX_SOURCE_LENGTH = 200;
export const MAX_TERM_LENGTH = 200;

/**
 * Click ids that only an ad platform adds to a landing URL, and the source they name: the company
 * (Google, not "Google Ads"), as its organic traffic is named, so a platform's paid and organic rows
 * read alike. fbclid is not here: Facebook adds it to every outbound link, organic shares included (see
 * FACEBOOK_CLICK_ID).
 */
const PAID_CLICK_IDS: Readonly<Record<string, string>> = {
  gclid: 'Google', // Google Ads
  gbraid: 'Google', // Google Ads, iOS app-to-web
  wbraid: 'Google', // Google Ads, iOS web-to-app
  dclid: 'Google', // Google Display & Video 360
  msclkid: 'Microsoft', // Microsoft Advertising (Bing, and its partner networks)
  ttclid: 'TikTok',
  twclid: 'Twitter', // X Ads; the referrer database still names x.com and t.co "Twitter"
  li_fat_id: 'LinkedIn',
};

/**
 * fbclid on its own is a hint, not a medium: a Facebook or Instagram link, paid or not. It is used
 * only when there is no referrer (Meta's in-app browsers often send none), to say "social, Facebook"
 * rather than "direct". Paid Meta campaigns are told apart by their utm_medium.
 */
const FACEBOOK_CLICK_ID = 'fbclid';

/**
 * utm_medium → medium, after GA4's default channel rules (the ones marketers tag for), compared
 * without case or surrounding space:
 *
 * | utm_medium                                                            | medium    |
 * |-----------------------------------------------------------------------|-----------|
 * | cpc, ppc, cpm, cpv, cpa… (anything with "cp"), paid…, retargeting,     | paid      |
 * | display, banner, expandable, interstitial, ad, ads                    |           |
 * | email, e-mail, e_mail, e mail, newsletter                             | email     |
 * | social, social-network, social-media, social network, social media, sm | social    |
 * | organic                                                               | search    |
 * | referral                                                              | referral  |
 * | anything else, or none with a utm_source                              | campaign  |
 */
export function mediumOfUtm(utmMedium: string): Medium {
  const medium = utmMedium.trim().toLowerCase();
  if (PAID_UTM_MEDIUM.test(medium)) return 'paid';
  if (EMAIL_UTM_MEDIA.has(medium)) return 'email';
  if (SOCIAL_UTM_MEDIA.has(medium)) return 'social';
  if (medium === 'organic') return 'search';
  if (medium === 'referral') return 'referral';
  return 'campaign';
}
const PAID_UTM_MEDIUM = /^(.*cp.*|ppc|paid.*|retargeting|display|banner|expandable|interstitial|ads?)$/;
const EMAIL_UTM_MEDIA: ReadonlySet<string> = new Set(['email', 'e-mail', 'e_mail', 'e mail', 'newsletter']);
const SOCIAL_UTM_MEDIA: ReadonlySet<string> = new Set(['social', 'social-network', 'social-media', 'social network', 'social media', 'sm']);

/** GA4's label for a part of a source that the tags left out. */
const NOT_SET = '(not set)';

const DIRECT: Source = Object.freeze({ medium: 'direct', source: null, term: null });
const INTERNAL: Source = Object.freeze({ medium: 'internal', source: null, term: null });

/**
 * Where a visit came from, in the order GA4, Matomo and Plausible apply:
 * 1. an ad platform's click id on the landing URL: paid, named by the platform;
 * 2. UTM tags (utm_source or utm_medium): their medium, mapped by mediumOfUtm, and utm_source;
 * 3. the referrer: none is direct, the site's own hosts are internal, a known host is what the
 *    referrer database says (search, with its term; social; email; ai-assistant; paid), any
 *    other host is a referral named by that host.
 * Never throws: a malformed referrer counts as none.
 */
export function classifySource({ referrer, pageHost, siteHosts = [], campaign }: SourceInput): Source {
  const paidBy = campaign.clickId === null ? undefined : PAID_CLICK_IDS[campaign.clickId];
  if (paidBy) return { medium: 'paid', source: paidBy, term: campaign.term };

  const parsed = parseReferrer(referrer);
  if (campaign.source !== null || campaign.medium !== null) return classifyTagged(campaign, parsed, pageHost, siteHosts);

  if (!parsed) return campaign.clickId === FACEBOOK_CLICK_ID ? { medium: 'social', source: 'Facebook', term: null } : DIRECT;
  if (!parsed.app && isSameSite(parsed.host, pageHost, siteHosts)) return INTERNAL;
  return classifyReferrerUrl(parsed);
}

function classifyTagged(campaign: Campaign, parsed: ParsedReferrer | null, pageHost: string, siteHosts: readonly string[]): Source {
  const term = campaign.term;
  if (campaign.medium === null && campaign.source !== null) {
    // ChatGPT appends utm_source=chatgpt.com to the links it cites, with no other tag: a
    // utm_source that is a known host, untagged otherwise, is that host's own doing.
    const known = campaign.source.includes('.') ? lookupReferrerHost(siteName(campaign.source)) : null;
    if (known && known.source !== null) return { medium: known.medium, source: known.source, term };
    return { medium: 'campaign', source: campaign.source, term };
  }
  const medium = mediumOfUtm(campaign.medium ?? '');
  if (campaign.source !== null) return { medium, source: campaign.source, term };
  // A utm_medium without a utm_source: the referrer, if it is another site, names the source.
  const external = parsed !== null && (parsed.app || !isSameSite(parsed.host, pageHost, siteHosts));
  return { medium, source: (external ? classifyReferrerUrl(parsed).source : null) ?? NOT_SET, term };
}

function classifyReferrerUrl(parsed: ParsedReferrer): Source {
  const known = parsed.app ? lookupReferrerApp(parsed.host) : lookupReferrerHost(parsed.host, parsed.url.pathname);
  if (!known || known.source === null) return { medium: 'referral', source: cutToLength(parsed.host, MAX_SOURCE_LENGTH), term: null };
  return { medium: known.medium, source: known.source, term: known.medium === 'search' ? searchTerm(parsed.url, known) : null };
}

function searchTerm(url: URL, known: KnownReferrer): string | null {
  if (url.search === '') return null;
  for (const key of known.termKeys) {
    // Terms are typed by people: runs of spaces and line breaks are not part of what they searched.
    const term = url.searchParams.get(key)?.replace(/\s+/g, ' ').trim();
    if (term) return cutToLength(term, MAX_TERM_LENGTH);
  }
  return null;
}

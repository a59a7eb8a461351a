import { isbot } from 'isbot';
import { LruCache } from './lru.ts';
import { MAX_USER_AGENT_LENGTH } from './user-agent.ts';

/** Why a request is not a human pageview; each reason has its own drop counter. */
export type BotReason = 'bot-user-agent' | 'missing-user-agent' | 'prefetch';

export interface BotCheckRequest {
  userAgent: string | null | undefined;
  /** The Sec-Purpose header, or the older Purpose header Chrome still sends. */
  purpose?: string | null;
}

// isbot runs one large alternation regex per call; real traffic repeats a few
// hundred user agents, so the answer is remembered.
const IS_BOT_CACHE_SIZE = 1000;
const isBotCache = new LruCache<string, boolean>(IS_BOT_CACHE_SIZE);

/**
 * Decides whether a request is a bot or a speculative load rather than a person
 * looking at a page. Returns null for a person.
 */
export function detectBot({ userAgent, purpose }: BotCheckRequest): BotReason | null {
  const trimmed = userAgent?.trim();
  // Every browser sends a User-Agent; only scripts and some scanners omit it.
  if (!trimmed) return 'missing-user-agent';
  if (isBotUserAgent(trimmed)) return 'bot-user-agent';
  if (purpose && isSpeculativeLoad(purpose)) return 'prefetch';
  return null;
}

function isBotUserAgent(userAgent: string): boolean {
  // Cut as the UA parser does, so a flood of huge distinct strings costs a
  // bounded amount of regex time and cache memory.
  const cut = userAgent.length > MAX_USER_AGENT_LENGTH ? userAgent.slice(0, MAX_USER_AGENT_LENGTH) : userAgent;
  let bot = isBotCache.get(cut);
  if (bot === undefined) {
    bot = isbot(cut);
    isBotCache.set(cut, bot);
  }
  return bot;
}

/**
 * Browsers mark link prefetches and prerenders with `Sec-Purpose: prefetch`
 * (`prefetch;prerender`, `prefetch;anonymous-client-ip` for Chrome's private
 * prefetch proxy) or the older `Purpose: prefetch`. The page may never be shown,
 * so it is not a view; a prerendered page that is shown reports itself later.
 */
function isSpeculativeLoad(purpose: string): boolean {
  const lower = purpose.toLowerCase();
  return lower.includes('prefetch') || lower.includes('prerender');
}

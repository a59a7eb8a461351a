import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { sharedCorpus } from '../test/shared-corpus.ts';
import { detectBot } from './bot.ts';

// Public lists kept outside the repo (see /work/shared/data/bots/SOURCE.txt):
// the most common real browser UAs must never be dropped as bots, and known
// crawlers should mostly be caught.
const corpus = sharedCorpus('bots', ['top-user-agents/desktop.json', 'top-user-agents/mobile.json', 'crawler-user-agents/crawler-user-agents.json']);
const present = corpus.present;
const desktopPath = corpus.path('top-user-agents/desktop.json');
const mobilePath = corpus.path('top-user-agents/mobile.json');
const crawlersPath = corpus.path('crawler-user-agents/crawler-user-agents.json');

// The share of known crawler UAs isbot must catch. Not 1: the list also holds
// in-app browsers (Instagram, Facebook) and Electron apps, which isbot treats
// as people, and arguably rightly so.
const MIN_CRAWLER_DETECTION = 0.97;

interface CrawlerEntry {
  pattern: string;
  instances: string[];
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

describe.skipIf(!present)('bot detection on public user-agent lists', () => {
  it.each([
    { list: 'top-user-agents/desktop.json', path: desktopPath },
    { list: 'top-user-agents/mobile.json', path: mobilePath },
  ])('flags none of $list', ({ path }) => {
    const userAgents = readJson<string[]>(path);
    expect(userAgents.length).toBeGreaterThan(0);
    const flagged = userAgents.filter((userAgent) => detectBot({ userAgent }) !== null);
    expect(flagged).toEqual([]);
  });

  it(`detects at least ${MIN_CRAWLER_DETECTION * 100}% of crawler-user-agents.json instances`, () => {
    const entries = readJson<CrawlerEntry[]>(crawlersPath);
    const instances = [...new Set(entries.flatMap((entry) => entry.instances))];
    const missed = instances.filter((userAgent) => detectBot({ userAgent }) === null);
    const share = 1 - missed.length / instances.length;
    console.log(
      `bot detection: ${instances.length - missed.length}/${instances.length} crawler UAs (${(share * 100).toFixed(1)}%); ` +
        `first missed: ${missed.slice(0, 5).join(' | ')}`,
    );
    expect(share).toBeGreaterThanOrEqual(MIN_CRAWLER_DETECTION);
  });
});

// Interest segments in real parts: pages carrying the real tracker, read in real Chromium on three
// (injected) days, scored by the real model against the site's themes; the segment's members then
// hold the sustained reader and not the one who read a single page.
import { createServer, type Server } from 'node:http';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeServer, DESKTOP_CHROME_UA, launchChromium, listenLocally } from './browser.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

const SITE = 'turf.example';
const DAY = 86_400_000;
const ARTICLES: Record<string, { title: string; description: string }> = {
  '/racing/derby-tips': { title: 'Derby tips: our jockey and trainer picks', description: 'Who to back at the racecourse this weekend, with the odds and runners for every race.' },
  '/racing/gold-cup': { title: 'Gold Cup result: the favourite wins by a length', description: 'The horse and its jockey held off the field in the big race at Cheltenham.' },
  '/racing/form-guide': { title: 'Form guide for Saturday’s handicap', description: 'Every runner rated, with the trainer’s comments and the betting market.' },
  '/racing/stable-tour': { title: 'Stable tour: the trainer’s hopes for the jumps season', description: 'Horses in training, their jockeys and the races they are aimed at.' },
  '/kitchen/sourdough': { title: 'Easy sourdough bread recipe', description: 'Bake a loaf at home: flour, water, salt and a starter.' },
};

let collector: TestServer;
let site: Server;
let siteOrigin: string;
let browser: Browser;
const contexts: BrowserContext[] = [];

async function api(method: string, path: string, body?: unknown) {
  const response = await fetch(`${collector.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${collector.adminToken}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as any };
}

beforeAll(async () => {
  collector = await startTestServer({ startTime: Date.parse('2026-11-02T09:00:00Z') });
  site = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const article = ARTICLES[path] ?? { title: 'Turf', description: '' };
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${article.title}</title>
<meta name="description" content="${article.description}">
<script defer src="${collector.url}/w.js" data-site="${SITE}"></script></head><body><h1>${article.title}</h1></body></html>`);
  });
  siteOrigin = await listenLocally(site);
  browser = await launchChromium();
  // The site exists once it has sent an event; then its themes are set.
  await fetch(`${collector.url}/e`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/plain', 'User-Agent': DESKTOP_CHROME_UA },
    body: JSON.stringify({ type: 'pageview', site: SITE, id: 'setupEvent000001', url: `https://${SITE}/` }),
  });
  const themes = await api('PUT', `/api/sites/${SITE}/themes`, {
    themes: [
      { id: 'horse-racing', name: 'Horse racing', description: 'Racing horses on the flat and over jumps: race meetings, form and odds, tips, jockeys, trainers and results.' },
      { id: 'cooking', name: 'Cooking', description: 'Food made at home: recipes and baking, cooking methods, ingredients, kitchens and the chefs who share them.' },
    ],
  });
  expect(themes.status).toBe(200);
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await closeServer(site);
  await collector?.stop();
});

async function reader(): Promise<Page> {
  const context = await browser.newContext({ userAgent: DESKTOP_CHROME_UA });
  contexts.push(context);
  return context.newPage();
}

const pageviews = () => collector.query<{ n: number }>("SELECT count(*) AS n FROM events WHERE type = 'pageview'")[0]!.n;
async function read(page: Page, path: string) {
  const before = pageviews();
  await page.goto(`${siteOrigin}${path}`);
  // Each read waits for its beacon, as a person's reads are minutes apart.
  const deadline = Date.now() + 10_000;
  while (pageviews() < before + 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(pageviews()).toBe(before + 1);
}
const visitorOf = (page: Page) => page.evaluate(() => localStorage.getItem('waymark_vid')!);

describe('an interest segment', () => {
  let fan: Page;
  let passerby: Page;

  beforeAll(async () => {
    fan = await reader();
    passerby = await reader();
    // Monday, Wednesday and Saturday: the fan reads racing (and one recipe); the passer-by one racing page.
    for (const [day, paths] of [[0, ['/racing/derby-tips', '/racing/form-guide']], [2, ['/racing/gold-cup', '/kitchen/sourdough']], [5, ['/racing/stable-tour', '/racing/derby-tips']]] as const) {
      collector.advance(Date.parse('2026-11-02T09:00:00Z') + day * DAY - collector.now());
      for (const path of paths) {
        await read(fan, path);
        collector.advance(3 * 60_000);
      }
    }
    await read(passerby, '/racing/gold-cup');
    await collector.themes.idle();
  });

  it('holds the visitor who read the theme on three days, and not the one who read one page', async () => {
    // Engaged time is the browser's own (the test reads each page for milliseconds), so the bar on
    // interest is low here: what tells the two readers apart is the number of days.
    const segment = await api('POST', `/api/sites/${SITE}/segments`, { name: 'Racing fans', themeId: 'horse-racing', minDays: 3, windowDays: 30, minInterest: 0.001, seenWithinDays: 14 });
    expect(segment.status).toBe(201);
    const { json } = await api('GET', `/api/sites/${SITE}/segments/${segment.json.id}/members`);
    expect(json.members.map((member: any) => member.visitorId)).toEqual([await visitorOf(fan)]);
    expect(json.members[0]).toMatchObject({ daysActive: 3 });
    expect(json.members[0].topPages[0]).toBe('/racing/derby-tips');
    expect(json.members[0].topPages).not.toContain('/kitchen/sourdough');
  });

  it('keeps the recipe reader out of the cooking segment: one page on one day is not sustained', async () => {
    const segment = await api('POST', `/api/sites/${SITE}/segments/preview`, { name: 'Cooks', themeId: 'cooking', minDays: 2, minInterest: 0 });
    expect(segment.json.size).toBe(0);
  });
});

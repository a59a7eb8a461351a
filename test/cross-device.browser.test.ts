// One person on two devices, in real parts: two Chromium contexts (a phone and a laptop, each with
// its own storage) load a page carrying the real tracker, identify with the same address, and the
// collector merges both histories into one person; a later login by someone else on the laptop
// stays apart. The dashboard then shows the person's journey.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeServer, DESKTOP_CHROME_UA, launchChromium, listenLocally } from './browser.ts';
import { api, startTestServer, type TestServer } from './helpers/test-server.ts';

const SITE = 'shop.example';
const DAY = 86_400_000;
const personOf = (address: string) => createHash('sha256').update(address.trim().toLowerCase()).digest('hex');
const ANN = personOf('ann@example.com');
const BOB = personOf('bob@example.com');

let collector: TestServer;
let site: Server;
let siteOrigin: string;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  collector = await startTestServer({ startTime: Date.parse('2026-11-02T09:00:00Z') });
  site = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop ${path}</title>
<script defer src="${collector.url}/w.js" data-site="${SITE}"></script></head><body><h1>${path}</h1></body></html>`);
  });
  siteOrigin = await listenLocally(site);
  browser = await launchChromium();
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await closeServer(site);
  await collector?.stop();
});

async function device(): Promise<Page> {
  const context = await browser.newContext({ userAgent: DESKTOP_CHROME_UA });
  contexts.push(context);
  return context.newPage();
}

/** Polls until `check` holds (the tracker's beacons are asynchronous), or fails with the last value. */
async function until<T>(read: () => Promise<T> | T, check: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const pageviews = () => collector.query<{ n: number }>("SELECT count(*) AS n FROM events WHERE type = 'pageview'")[0]!.n;
const claims = () => collector.query<{ n: number }>('SELECT count(*) AS n FROM identities')[0]!.n;
const pathsOf = (journey: any): string[] => journey.sessions.flatMap((s: any) => s.events.map((e: any) => e.path));

async function visit(page: Page, path: string) {
  const before = pageviews();
  await page.goto(`${siteOrigin}${path}`);
  await until(pageviews, (n) => n === before + 1);
}
async function identify(page: Page, address: string) {
  const before = claims();
  await page.evaluate((value) => (window as any).waymark('identify', value), address);
  await until(claims, (n) => n === before + 1);
}
const visitorOf = (page: Page) => page.evaluate(() => localStorage.getItem('waymark_vid')!);

describe('a person across devices', () => {
  let phone: Page;
  let laptop: Page;

  beforeAll(async () => {
    phone = await device();
    laptop = await device();
    // Monday, on the phone: browsing anonymously, then a login.
    await visit(phone, '/shoes');
    collector.advance(60_000);
    await visit(phone, '/shoes/red');
    await identify(phone, 'ann@example.com');
    // Thursday, on the laptop: a cart, the same person logs in (typed differently), then checks out.
    collector.advance(3 * DAY);
    await visit(laptop, '/cart');
    await identify(laptop, '  ANN@Example.com ');
    collector.advance(60_000);
    await visit(laptop, '/checkout');
  });

  it('merges both devices\' histories, in time order, into one person journey', async () => {
    const { status, json } = await api(collector, `/api/sites/${SITE}/people/${ANN}`);
    expect(status).toBe(200);
    expect(pathsOf(json)).toEqual(['/shoes', '/shoes/red', '/cart', '/checkout']);
    const [phoneId, laptopId] = [await visitorOf(phone), await visitorOf(laptop)];
    expect(phoneId).not.toBe(laptopId);
    expect(json.sessions.map((s: any) => s.visitorId)).toEqual([phoneId, laptopId]);
    expect(json.person).toMatchObject({ sessions: 2, pageviews: 4, daysActive: 2 });
    for (const visitor of [phoneId, laptopId]) {
      expect((await api(collector, `/api/sites/${SITE}/visitors/${visitor}`)).json.visitor.personId).toBe(ANN);
    }
  });

  it('keeps a later login by someone else on the laptop out of the first person', async () => {
    collector.advance(DAY);
    await identify(laptop, 'bob@example.com');
    collector.advance(60_000);
    await visit(laptop, '/bobs-orders');

    expect(pathsOf((await api(collector, `/api/sites/${SITE}/people/${ANN}`)).json)).toEqual(['/shoes', '/shoes/red', '/cart', '/checkout']);
    expect(pathsOf((await api(collector, `/api/sites/${SITE}/people/${BOB}`)).json)).toEqual(['/bobs-orders']);
    const laptopJourney = (await api(collector, `/api/sites/${SITE}/visitors/${await visitorOf(laptop)}`)).json;
    expect(laptopJourney.visitor.personId).toBe(BOB);
    expect(laptopJourney.visitor.people.map((part: any) => part.personId)).toEqual([ANN, BOB]);
    // The clear addresses never reached the collector.
    const stored = JSON.stringify(collector.query('SELECT * FROM identities')) + JSON.stringify(collector.query('SELECT * FROM events'));
    expect(stored).not.toMatch(/example\.com"|ann@|bob@/i);
  });

  it('shows the person\'s journey in the dashboard, with a link to each device', async () => {
    const page = await device();
    await page.goto(`${collector.url}/dashboard#token=${collector.adminToken}&site=${SITE}&person=${ANN}`);
    await page.getByTestId('person-journey').waitFor();
    expect(await page.getByTestId('journey-session').count()).toBe(2);
    expect(await page.getByTestId('journey-event').allInnerTexts()).toEqual([
      expect.stringContaining('/shoes'),
      expect.stringContaining('/shoes/red'),
      expect.stringContaining('/cart'),
      expect.stringContaining('/checkout'),
    ]);
    // The laptop's journey names both people who used it, each a link back to their journey.
    await page.locator('[data-testid="person-visitor-link"]', { hasText: await visitorOf(laptop) }).click();
    await page.getByTestId('journey').waitFor();
    expect(await page.getByTestId('person-link').evaluateAll((links) => links.map((link) => link.getAttribute('title')))).toEqual([ANN, BOB]);
  });
});

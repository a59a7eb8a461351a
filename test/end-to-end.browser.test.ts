// The whole path in real parts: a page on its own origin carries the tag served by the real collector,
// Chromium loads it, navigates client-side and sends a custom event; the journey API then holds exactly those.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP_CHROME_UA, launchChromium } from './browser.ts';
import { api, startTestServer, type TestServer } from './helpers/test-server.ts';

/** A page with everything a page can say about itself. */
const GUIDE = {
  title: 'Choosing a saddle',
  description: 'How to fit a saddle to your horse',
  keywords: 'saddle, fitting, horse',
  ogTitle: 'The saddle-fitting guide',
  ogDescription: 'Measure, try, ride: fitting a saddle in three steps',
};

let collector: TestServer;
let site: Server;
let siteOrigin: string;
let browser: Browser;

beforeAll(async () => {
  collector = await startTestServer();
  site = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    const tag = `<script defer src="${collector.url}/w.js" data-site="shop.example"></script>`;
    if (new URL(req.url ?? '/', 'http://site').pathname === '/guide') {
      res.end(`<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>${GUIDE.title}</title>
<meta name="description" content="${GUIDE.description}"><meta name="keywords" content="${GUIDE.keywords}">
<meta property="og:title" content="${GUIDE.ogTitle}"><meta property="og:description" content="${GUIDE.ogDescription}">
${tag}</head><body style="height: 3000px"><h1>${GUIDE.title}</h1></body></html>`);
      return;
    }
    res.end(`<!doctype html><html><head><meta charset="utf-8"><title>Shop home</title>
<meta name="description" content="Everything for horses">
${tag}</head>
<body><h1>Shop</h1></body></html>`);
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteOrigin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => site?.close(resolve));
  await collector?.stop();
});

/** Polls the journey until its first visit has engaged time (the report arrives as the page is left). */
async function waitForEngagement(visitorId: string) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { json } = await api(collector, `/api/sites/shop.example/visitors/${encodeURIComponent(visitorId)}`);
    if (json.sessions?.[0]?.engagedSeconds > 0 || Date.now() > deadline) return json;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function waitForJourney(visitorId: string, events: number) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { status, json } = await api(collector, `/api/sites/shop.example/visitors/${encodeURIComponent(visitorId)}`);
    const count = status === 200 ? json.sessions.flatMap((s: { events: unknown[] }) => s.events).length : 0;
    if (count >= events || Date.now() > deadline) return json;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('tracker → collector → SQLite → journey API', () => {
  it('records a load, a client-side navigation and a custom event as one visit', async () => {
    const context = await browser.newContext({ userAgent: DESKTOP_CHROME_UA, locale: 'fr-FR', timezoneId: 'Europe/Paris', viewport: { width: 1200, height: 700 } });
    const page = await context.newPage();
    await page.goto(`${siteOrigin}/?utm_source=newsletter&utm_campaign=spring&private=1`);
    await page.waitForFunction(() => localStorage.getItem('waymark_vid') !== null);
    const visitorId = await page.evaluate(() => localStorage.getItem('waymark_vid')!);
    // Each step waits for the previous beacon, as a person's clicks are seconds apart.
    await waitForJourney(visitorId, 1);
    collector.advance(20_000);

    await page.evaluate(() => {
      history.pushState({}, '', '/saddles');
      document.title = 'Saddles';
    });
    await waitForJourney(visitorId, 2);
    collector.advance(5_000);
    await page.evaluate(() => (window as unknown as { waymark: (...args: unknown[]) => void }).waymark('event', 'add-to-cart', { sku: 'S-42', price: 129.5 }));

    const journey = await waitForJourney(visitorId, 3);
    await context.close();

    // The context claims Chrome in its user agent; the client hints from navigator.userAgentData tell
    // the truth, which the collector prefers: this is Debian's Chromium.
    expect(journey.visitor).toMatchObject({ visitorId, sessions: 1, pageviews: 2, browser: 'Chromium', os: 'Linux', deviceType: 'desktop' });
    expect(journey.sessions).toHaveLength(1);
    const [session] = journey.sessions;
    expect(session).toMatchObject({
      entryPath: '/',
      exitPath: '/saddles',
      durationSeconds: expect.closeTo(25, 0),
      pageviews: 2,
      bounced: false,
      source: 'newsletter',
      medium: 'campaign',
      utm: { source: 'newsletter', medium: null, campaign: 'spring' },
      device: { browser: 'Chromium', os: 'Linux', deviceType: 'desktop' },
    });
    expect(session.events.map((e: any) => ({ type: e.type, path: e.path, name: e.name, props: e.props }))).toEqual([
      { type: 'pageview', path: '/', name: null, props: {} },
      { type: 'pageview', path: '/saddles', name: null, props: {} },
      { type: 'event', path: '/saddles', name: 'add-to-cart', props: { sku: 'S-42', price: 129.5 } },
    ]);

    // What the browser alone knows arrived and was stored; the query string kept only campaign keys.
    const [first] = collector.query<Record<string, unknown>>(
      "SELECT url, title, description, language, time_zone, viewport_width, viewport_height FROM events WHERE visitor_id = ? AND path = '/'",
      visitorId,
    );
    expect(first).toEqual({
      url: `${siteOrigin}/?utm_source=newsletter&utm_campaign=spring`,
      title: 'Shop home',
      description: 'Everything for horses',
      language: 'fr-FR',
      time_zone: 'Europe/Paris',
      viewport_width: 1200,
      viewport_height: 700,
    });
    const [second] = collector.query<{ referrer: string }>("SELECT referrer FROM events WHERE visitor_id = ? AND path = '/saddles' AND type = 'pageview'", visitorId);
    expect(second!.referrer).toBe(`${siteOrigin}/?utm_source=newsletter&utm_campaign=spring`);
  });

  it('keeps the page text, and the time a page was read once the visitor leaves it', async () => {
    const context = await browser.newContext({ userAgent: DESKTOP_CHROME_UA, viewport: { width: 1200, height: 700 } });
    const page = await context.newPage();
    await page.goto(`${siteOrigin}/guide`);
    await page.waitForFunction(() => localStorage.getItem('waymark_vid') !== null);
    const visitorId = await page.evaluate(() => localStorage.getItem('waymark_vid')!);
    await waitForJourney(visitorId, 1);
    // Reading: time passes and the page is scrolled; leaving it (for another site) sends the report.
    await page.waitForTimeout(500);
    await page.evaluate(() => scrollTo(0, 1000));
    await page.goto('about:blank');

    const journey = await waitForEngagement(visitorId);
    await context.close();
    const [session] = journey.sessions;
    expect(session.engagedSeconds).toBeGreaterThanOrEqual(0.5);
    expect(session.events).toEqual([
      expect.objectContaining({ type: 'pageview', path: '/guide', engagedSeconds: session.engagedSeconds, scrollDepth: expect.any(Number) }),
    ]);
    expect(session.events[0].scrollDepth).toBeGreaterThan(0);

    const [text] = collector.query<{ text: string; lang: string }>("SELECT text, lang FROM page_texts WHERE path = '/guide'");
    expect({ ...text, text: JSON.parse(text!.text) }).toEqual({ text: GUIDE, lang: 'en-GB' });
  });
});

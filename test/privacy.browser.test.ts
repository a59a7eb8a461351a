// What a visitor's privacy choices leave on their device and in the database, in real parts: Chromium
// loads pages carrying the tag served by the real collector, which writes the real SQLite file.
//
// Each test uses a site of its own, named by the first segment of the page's path
// (`/consent.example/pricing`), so its rows are told apart from the other tests'.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { closeServer, DESKTOP_CHROME_UA, launchChromium, listenLocally, PRIVACY_SIGNALS } from './browser.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

const SITES = [...PRIVACY_SIGNALS.map(({ id }) => `${id}.example`), 'consent.example'];

let collector: TestServer;
let site: Server;
let siteOrigin: string;
let browser: Browser;
let context: BrowserContext | undefined;

beforeAll(async () => {
  collector = await startTestServer({ env: { WAYMARK_SITES: SITES.join(',') } });
  site = createServer((req, res) => {
    const domain = new URL(req.url ?? '/', 'http://site').pathname.split('/')[1] ?? '';
    const consentMode = domain.startsWith('consent') ? ' data-require-consent' : '';
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html><head><meta charset="utf-8"><title>Privacy fixture</title>
<script defer src="${collector.url}/w.js" data-site="${domain}"${consentMode}></script></head><body></body></html>`);
  });
  siteOrigin = await listenLocally(site);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await closeServer(site);
  await collector?.stop();
});

afterEach(async () => {
  await context?.close();
  context = undefined;
});

interface Row {
  type: string;
  path: string;
  name: string | null;
  visitor_id: string;
}

/** The site's stored events, in the order they were written. */
const rows = (domain: string) =>
  collector.query<Row>('SELECT e.type, e.path, e.name, e.visitor_id FROM events e JOIN sites s ON s.id = e.site_id WHERE s.domain = ? ORDER BY e.id', domain);

/** Waits until the site has `count` events stored; each step of a test waits so, as a person's clicks are seconds apart. */
async function waitForRows(domain: string, count: number): Promise<Row[]> {
  await vi.waitFor(() => expect(rows(domain), `events of ${domain}`).toHaveLength(count), { timeout: 10_000, interval: 25 });
  collector.advance(5_000);
  return rows(domain);
}

/** Everything the page could have left on the device: localStorage, the page's cookies, the context's cookies. */
async function deviceStorage(page: Page) {
  return {
    localStorage: await page.evaluate(() => ({ ...localStorage })),
    documentCookie: await page.evaluate(() => document.cookie),
    cookies: await context!.cookies(),
  };
}
const NOTHING_STORED = { localStorage: {}, documentCookie: '', cookies: [] };

const navigate = (page: Page, path: string) => page.evaluate((to) => history.pushState({}, '', to), path);
const waymark = (page: Page, ...args: unknown[]) =>
  page.evaluate((call) => (window as unknown as { waymark: (...a: unknown[]) => void }).waymark(...call), args);

describe('privacy in the browser and in the database', () => {
  it.each(PRIVACY_SIGNALS)('under $name, leaves nothing on the device and still counts every pageview', async ({ id, headers, init }) => {
    const domain = `${id}.example`;
    context = await browser.newContext({ userAgent: DESKTOP_CHROME_UA, extraHTTPHeaders: headers });
    await context.addInitScript(init);
    const page = await context.newPage();
    await page.goto(`${siteOrigin}/${domain}/`);
    await waitForRows(domain, 1);
    await navigate(page, `/${domain}/pricing`);
    await waitForRows(domain, 2);
    await waymark(page, 'event', 'signup');
    await waitForRows(domain, 3);
    await page.reload();
    const stored = await waitForRows(domain, 4);

    expect(await deviceStorage(page)).toEqual(NOTHING_STORED);
    expect(stored.map(({ type, path, name }) => ({ type, path, name }))).toEqual([
      { type: 'pageview', path: `/${domain}/`, name: null },
      { type: 'pageview', path: `/${domain}/pricing`, name: null },
      { type: 'event', path: `/${domain}/pricing`, name: 'signup' },
      { type: 'pageview', path: `/${domain}/pricing`, name: null },
    ]);
    // One visitor for the whole day, by the collector's anonymous id: reloads do not make new ones.
    expect(new Set(stored.map((row) => row.visitor_id)).size).toBe(1);
  });

  describe('consent mode (data-require-consent on a site with requireConsent)', () => {
    const domain = 'consent.example';

    it('stores nothing before consent, the id after it, and nothing again once consent is withdrawn', async () => {
      const response = await fetch(`${collector.url}/api/sites/${domain}`, {
        method: 'PATCH',
        headers: { Authorization: `Bearer ${collector.adminToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ requireConsent: true }),
      });
      expect(await response.json()).toMatchObject({ domain, requireConsent: true });

      context = await browser.newContext({ userAgent: DESKTOP_CHROME_UA });
      const page = await context.newPage();
      await page.goto(`${siteOrigin}/${domain}/`);
      await waitForRows(domain, 1);
      // Before consent an identify has nobody to name: the tracker does not send it.
      await waymark(page, 'identify', 'ana@example.com');
      await navigate(page, `/${domain}/before`);
      await waitForRows(domain, 2);
      expect(await deviceStorage(page)).toEqual(NOTHING_STORED);

      await waymark(page, 'consent', true);
      const { localStorage: afterConsent } = await deviceStorage(page);
      const visitorId = afterConsent.waymark_vid!;
      expect(visitorId).toMatch(/^[0-9a-f]{32}$/);
      await navigate(page, `/${domain}/agreed`);
      await waitForRows(domain, 3);
      await waymark(page, 'identify', ' Ana@Example.com ', { plan: 'pro' });
      await waymark(page, 'event', 'signup');
      await waitForRows(domain, 4);
      // The next page reads the id that consent stored, from its first pageview on.
      await page.reload();
      await waitForRows(domain, 5);

      await waymark(page, 'consent', false);
      expect(await deviceStorage(page)).toEqual(NOTHING_STORED);
      await navigate(page, `/${domain}/withdrawn`);
      await waitForRows(domain, 6);
      await page.reload();
      const stored = await waitForRows(domain, 7);
      expect(await deviceStorage(page)).toEqual(NOTHING_STORED);

      const anonymous = stored[0]!.visitor_id;
      expect(anonymous).not.toBe(visitorId);
      expect(stored.map(({ path, name, visitor_id }) => ({ path, name, visitor: visitor_id === visitorId ? 'consented' : visitor_id === anonymous ? 'anonymous' : visitor_id }))).toEqual([
        { path: `/${domain}/`, name: null, visitor: 'anonymous' },
        { path: `/${domain}/before`, name: null, visitor: 'anonymous' },
        { path: `/${domain}/agreed`, name: null, visitor: 'consented' },
        { path: `/${domain}/agreed`, name: 'signup', visitor: 'consented' },
        { path: `/${domain}/agreed`, name: null, visitor: 'consented' },
        { path: `/${domain}/withdrawn`, name: null, visitor: 'anonymous' },
        { path: `/${domain}/withdrawn`, name: null, visitor: 'anonymous' },
      ]);

      // Only the identify made after consent arrived, hashed, and linked to the consented id.
      const sha256 = createHash('sha256').update('ana@example.com').digest('hex');
      expect(collector.query('SELECT i.visitor_id, i.person_id, i.traits FROM identities i JOIN sites s ON s.id = i.site_id WHERE s.domain = ?', domain)).toEqual([
        { visitor_id: visitorId, person_id: sha256, traits: '{"plan":"pro"}' },
      ]);
      expect(collector.query("SELECT reason FROM drops d JOIN sites s ON s.id = d.site_id WHERE s.domain = ? AND reason = 'identify-without-consent'", domain)).toEqual([]);
    });
  });
});

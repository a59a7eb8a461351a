// The tracker in a real Chromium: an HTML fixture carries the tag, the test acts on the page and
// asserts the exact requests the collector receives, in order.
//
// Two servers on different ports play the two origins of a real install: the site (fixtures) and the
// collector (/w.js and POST /e), so every request is cross-origin as in production.

import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  beaconsSent,
  closeServer,
  DESKTOP_CHROME_UA,
  launchChromium,
  listenLocally,
  postedBodies,
  PRIVACY_SIGNALS,
  recordBeacons,
  type RecordingCollector,
  recordRejections,
  refusedBodies,
  startRecordingCollector,
  unhandledRejections,
} from './browser.ts';

// Was 1,500 until identify (118 bytes) and consent mode (92) came, 1,650 until page text (76) and
// engagement reports (244) came; bench/run.ts prints the same budget.
const SIZE_BUDGET_GZIPPED = 1950;
/** The client's clock in base 36, then 96 random bits in hex. */
const EVENT_ID = /^[0-9a-z]{8}[0-9a-f]{24}$/;
/** 128 random bits in hex. */
const VISITOR_ID = /^[0-9a-f]{32}$/;
/** What browsers put on a string body, a CORS-safelisted type. */
const TEXT_PLAIN = 'text/plain;charset=UTF-8';
const TITLE = 'Waymark fixture';
const DESCRIPTION = 'A page that carries the Waymark tag.';

let browser: Browser;
let site: Server;
let collector: RecordingCollector;
let siteOrigin: string;
let collectorOrigin: string;

// --- servers -------------------------------------------------------------------------------------

const tag = (attributes = '') => `<script defer src="${collectorOrigin}/w.js" data-site="example.com"${attributes}></script>`;
const stub = `window.waymark = window.waymark || function () { (window.waymark.q = window.waymark.q || []).push(arguments) };`;

function fixturePage(head: string, htmlAttributes = ''): string {
  return `<!doctype html><html${htmlAttributes}><head><meta charset="utf-8"><title>${TITLE}</title>
<meta name="description" content="${DESCRIPTION}">${head}</head><body><h1>${TITLE}</h1></body></html>`;
}

/** What a page says it is about, besides its title and description: the collector scores its themes on these. */
const PAGE_TEXT = {
  keywords: 'saddles, bridles, stirrups',
  ogTitle: 'Saddles for every horse',
  ogDescription: 'Leather and synthetic saddles, fitted by hand.',
  lang: 'pt-BR',
};

const fixtures: Record<string, () => string> = {
  '/': () => fixturePage(tag()),
  '/page-text': () =>
    fixturePage(
      `<meta name="keywords" content="${PAGE_TEXT.keywords}">
<meta property="og:title" content="${PAGE_TEXT.ogTitle}"><meta property="og:description" content="${PAGE_TEXT.ogDescription}">${tag()}`,
      ` lang="${PAGE_TEXT.lang}"`,
    ),
  // The documented snippet, then calls made before the tracker has loaded.
  '/queued': () =>
    fixturePage(`<script>
${stub}
waymark('event', 'early', { step: 1 });
waymark('no-such-command', 'ignored');
waymark('event', 'early-2');
</script>${tag()}`),
  '/no-site': () => fixturePage(`<script defer src="${collectorOrigin}/w.js"></script>`),
  '/twice': () => fixturePage(tag() + tag()),
  '/hash-routed': () => fixturePage(tag(' data-hash-routing')),
  '/consent': () => fixturePage(tag(' data-require-consent')),
  // Consent given (say, by a banner script) before the tracker loaded.
  '/consent-queued': () => fixturePage(`<script>${stub} waymark('event', 'early'); waymark('consent', true);</script>${tag(' data-require-consent')}`),
  // Consent withdrawn before the tracker loaded, on a site without consent mode.
  '/withdrawn-queued': () => fixturePage(`<script>${stub} waymark('event', 'early'); waymark('consent', false);</script>${tag()}`),
};

function serveSite(req: IncomingMessage, res: ServerResponse): void {
  const path = new URL(req.url ?? '/', siteOrigin).pathname;
  // Any other path is an app route (after pushState and reload): the home page answers it.
  const page = (fixtures[path] ?? fixtures['/']!)();
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page);
}

// --- helpers -------------------------------------------------------------------------------------

/**
 * Requests the collector received, but engagement reports: a page sends one whenever it is hidden or
 * left, the closing of a test's context included, so they may arrive during the next test.
 * test/engagement.browser.test.ts proves them, telling its own apart by their pageview's id.
 */
const requests = () => collector.received.filter((r) => r.body?.type !== 'engagement');

/** Bodies of POST /e, in the order they arrived, but engagement reports. */
const events = () => postedBodies(requests());

/**
 * Waits until exactly `count` events have arrived (polling the recorded list, never sleeping a fixed
 * time), then returns them. More than `count` fails too, once the timeout has passed.
 */
async function waitForEvents(count: number): Promise<Record<string, unknown>[]> {
  await vi.waitFor(() => expect(events(), 'events received').toHaveLength(count), { timeout: 5000, interval: 10 });
  return events();
}

/**
 * After an action that should send nothing: sends a marker event and waits for it. The marker is sent
 * after anything the action sent, so once it is in, the list shows whether the action sent more.
 */
async function settle(page: Page, count: number): Promise<Record<string, unknown>[]> {
  await page.evaluate(() => window.waymark!('event', 'marker'));
  const all = await waitForEvents(count + 1);
  expect(all.at(-1)).toMatchObject({ type: 'event', name: 'marker' });
  return all.slice(0, -1);
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const byId = (list: Record<string, unknown>[]) => [...list].sort((a, b) => String(a.id).localeCompare(String(b.id)));

declare global {
  interface Window {
    waymark?: (command: string, ...args: unknown[]) => void;
  }
}

let context: BrowserContext | undefined;
let pageErrors: Error[] = [];

/** A fresh context (empty storage) with a fixed screen, locale and time-zone so fields are exact. */
async function openPage(path: string, initScript?: () => void): Promise<Page> {
  context = await browser.newContext({
    userAgent: DESKTOP_CHROME_UA,
    viewport: { width: 1280, height: 720 },
    screen: { width: 1920, height: 1080 },
    locale: 'en-GB',
    timezoneId: 'Europe/Paris',
  });
  await context.addInitScript(recordRejections);
  if (initScript) await context.addInitScript(initScript);
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error));
  await page.goto(siteOrigin + path);
  return page;
}

// navigator.userAgentData of Debian's Chromium on Linux, whatever user agent the context claims.
const HINTS = {
  brands: expect.arrayContaining([expect.objectContaining({ brand: 'Chromium' })]),
  mobile: false,
  platform: 'Linux',
  platformVersion: expect.any(String),
  model: '',
};

function pageview(path: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'pageview',
    site: 'example.com',
    id: expect.stringMatching(EVENT_ID),
    visitor: expect.stringMatching(VISITOR_ID),
    url: siteOrigin + path,
    title: TITLE,
    description: DESCRIPTION,
    screenWidth: 1920,
    screenHeight: 1080,
    viewportWidth: 1280,
    viewportHeight: 720,
    language: 'en-GB',
    timeZone: 'Europe/Paris',
    time: expect.any(Number),
    sent: expect.any(Number),
    hints: HINTS,
    ...extra,
  };
}

function customEvent(path: string, name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'event',
    site: 'example.com',
    id: expect.stringMatching(EVENT_ID),
    visitor: expect.stringMatching(VISITOR_ID),
    url: siteOrigin + path,
    name,
    time: expect.any(Number),
    sent: expect.any(Number),
    hints: HINTS,
    ...extra,
  };
}

// --- lifecycle -----------------------------------------------------------------------------------

beforeAll(async () => {
  site = createServer(serveSite);
  siteOrigin = await listenLocally(site);
  collector = await startRecordingCollector();
  collectorOrigin = collector.origin;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([closeServer(site), collector?.close()]);
});

beforeEach(() => {
  collector.received.length = 0;
  pageErrors = [];
});

afterEach(async () => {
  await context?.close();
  context = undefined;
  // Whatever a test checked, every body sent must pass the collector's strict schema.
  expect(refusedBodies(postedBodies(collector.received)), 'bodies the collector would reject').toEqual([]);
});

// --- tests ---------------------------------------------------------------------------------------

describe('tracker', () => {
  describe('page load', () => {
    it('sends one pageview with every field, and no referrer when there is none', async () => {
      const started = Date.now();
      await openPage('/');
      const [view] = await waitForEvents(1);
      expect(view).toEqual(pageview('/'));
      expect(view).not.toHaveProperty('referrer');
      expect(view!.time).toBeGreaterThanOrEqual(started - 1000);
      expect(view!.time).toBeLessThanOrEqual(Date.now() + 1000);
      expect(pageErrors).toEqual([]);
    });

    it('stamps when each request leaves (`sent`), after the event was made (`time`)', async () => {
      // Slow high-entropy hints hold every send back: `sent` shows the wait, `time` does not.
      const page = await openPage('/', () => {
        const uaData = (globalThis as unknown as { NavigatorUAData: { prototype: { getHighEntropyValues: (hints: string[]) => Promise<unknown> } } }).NavigatorUAData;
        const original = uaData.prototype.getHighEntropyValues;
        uaData.prototype.getHighEntropyValues = function (this: unknown, hints: string[]) {
          return new Promise((resolve) => setTimeout(resolve, 300)).then(() => original.call(this, hints));
        };
      });
      const [view] = await waitForEvents(1);
      await page.evaluate(() => window.waymark!('event', 'later'));
      const [, event] = await waitForEvents(2);
      for (const body of [view!, event!]) {
        expect(body.sent).toBeGreaterThanOrEqual(body.time as number);
        expect(body.sent).toBeLessThanOrEqual(Date.now() + 1000);
      }
      expect((view!.sent as number) - (view!.time as number)).toBeGreaterThanOrEqual(250);
    });

    it('posts text/plain, so the cross-origin request needs no CORS preflight', async () => {
      await openPage('/');
      await waitForEvents(1);
      expect(requests()).toEqual([
        expect.objectContaining({ method: 'POST', path: '/e', contentType: TEXT_PLAIN, origin: siteOrigin }),
      ]);
    });

    it('replays calls queued by the snippet before the script loaded, after the first pageview, in order', async () => {
      const page = await openPage('/queued', recordBeacons);
      const arrived = await waitForEvents(3);
      const sent = await beaconsSent(page);
      expect(sent).toEqual([
        pageview('/queued'),
        customEvent('/queued', 'early', { props: { step: 1 } }),
        customEvent('/queued', 'early-2'),
      ]);
      expect(byId(arrived)).toEqual(byId(sent));
    });

    it("sends what the page says it is about: meta keywords, Open Graph title and description, the page's lang", async () => {
      await openPage('/page-text');
      expect(await waitForEvents(1)).toEqual([pageview('/page-text', PAGE_TEXT)]);
    });

    it('leaves out the page text a page does not have', async () => {
      await openPage('/');
      const [view] = await waitForEvents(1);
      for (const field of Object.keys(PAGE_TEXT)) expect(view).not.toHaveProperty(field);
    });

    it('sends nothing without data-site, and raises no error', async () => {
      const page = await openPage('/no-site');
      expect(await page.evaluate(() => typeof window.waymark)).toBe('undefined');
      // The next page's pageview shows that nothing came before it.
      await page.goto(siteOrigin + '/');
      expect(await waitForEvents(1)).toEqual([pageview('/')]);
      expect(pageErrors).toEqual([]);
    });

    it('counts a page once when the tag is on it twice', async () => {
      const page = await openPage('/twice');
      await waitForEvents(1);
      expect(await settle(page, 1)).toEqual([pageview('/twice')]);
    });
  });

  describe('limits', () => {
    it("cuts over-long fields to the collector's limits rather than losing the event", async () => {
      const page = await openPage('/');
      await waitForEvents(1);
      await page.evaluate(() => {
        document.title = 'T'.repeat(600);
        document.querySelector('meta[name=description]')!.setAttribute('content', 'D'.repeat(2000));
        document.head.insertAdjacentHTML(
          'beforeend',
          `<meta name="keywords" content="${'K'.repeat(600)}"><meta property="og:title" content="${'O'.repeat(600)}">` +
            `<meta property="og:description" content="${'G'.repeat(2000)}">`,
        );
        document.documentElement.lang = 'L'.repeat(40);
        history.pushState({}, '', `/long?q=${'q'.repeat(3000)}`);
      });
      const [, view] = await waitForEvents(2);
      await page.evaluate(() => window.waymark!('event', 'N'.repeat(150)));
      const [, , event] = await waitForEvents(3);
      const longUrl = `${siteOrigin}/long?q=${'q'.repeat(3000)}`;
      expect(view).toMatchObject({
        url: longUrl.slice(0, 2048),
        title: 'T'.repeat(512),
        description: 'D'.repeat(1024),
        keywords: 'K'.repeat(512),
        ogTitle: 'O'.repeat(512),
        ogDescription: 'G'.repeat(1024),
        lang: 'L'.repeat(35),
      });
      expect(event).toMatchObject({ url: longUrl.slice(0, 2048), name: 'N'.repeat(100) });
    });
  });

  describe('client-side navigation', () => {
    it('sends a pageview on pushState, with the previous URL as referrer', async () => {
      const page = await openPage('/');
      await waitForEvents(1);
      await page.evaluate(() => history.pushState({}, '', '/next'));
      expect((await waitForEvents(2))[1]).toEqual(pageview('/next', { referrer: siteOrigin + '/' }));
    });

    it('ignores replaceState to the same URL and hash-only changes', async () => {
      const page = await openPage('/');
      await waitForEvents(1);
      await page.evaluate(() => {
        history.replaceState({ step: 1 }, '', location.href);
        location.hash = '#section'; // fires popstate and hashchange in Chromium
        history.pushState({}, '', '/#other');
        history.replaceState({}, '', '/');
      });
      expect(await settle(page, 1)).toEqual([pageview('/')]);
    });

    it('sends a pageview when replaceState changes the path or the query', async () => {
      const page = await openPage('/');
      await waitForEvents(1);
      await page.evaluate(() => history.replaceState({}, '', '/?tab=2'));
      expect((await waitForEvents(2))[1]).toEqual(pageview('/?tab=2', { referrer: siteOrigin + '/' }));
    });

    it('sends a pageview on back and forward (popstate)', async () => {
      const page = await openPage('/');
      await waitForEvents(1);
      await page.evaluate(() => history.pushState({}, '', '/next'));
      await waitForEvents(2);
      await page.evaluate(() => history.back());
      await waitForEvents(3);
      await page.evaluate(() => history.forward());
      const all = await waitForEvents(4);
      expect(all.slice(2)).toEqual([
        pageview('/', { referrer: siteOrigin + '/next' }),
        pageview('/next', { referrer: siteOrigin + '/' }),
      ]);
    });

    it('keeps the return value and errors of the app’s own history calls', async () => {
      const page = await openPage('/');
      await waitForEvents(1);
      const outcome = await page.evaluate(() => {
        const result = history.pushState({}, '', '/ok');
        try {
          history.pushState({}, '', 'https://elsewhere.example/');
          return { result, error: null };
        } catch (error) {
          return { result, error: (error as Error).name };
        }
      });
      expect(outcome).toEqual({ result: undefined, error: 'SecurityError' });
      await waitForEvents(2);
      expect(await settle(page, 2)).toEqual([pageview('/'), pageview('/ok', { referrer: siteOrigin + '/' })]);
    });
  });

  describe('sites that route by fragment (data-hash-routing)', () => {
    it('sends a pageview for each route', async () => {
      const page = await openPage('/hash-routed');
      await waitForEvents(1);
      await page.evaluate(() => {
        location.hash = '#/pricing';
      });
      const events = await waitForEvents(2);
      expect(events[1]).toEqual(pageview('/hash-routed#/pricing', { referrer: `${siteOrigin}/hash-routed` }));
    });
  });

  describe('custom events', () => {
    it('sends flat scalar props and drops nested values', async () => {
      const page = await openPage('/');
      await waitForEvents(1);
      await page.evaluate(() => window.waymark!('event', 'signup', { plan: 'pro', n: 3, nested: { x: 1 } }));
      expect((await waitForEvents(2))[1]).toEqual(customEvent('/', 'signup', { props: { plan: 'pro', n: 3 } }));
    });

    it('ignores unknown commands and events without a name, without throwing', async () => {
      const page = await openPage('/');
      await waitForEvents(1);
      await page.evaluate(() => {
        window.waymark!('no-such-command', 'x');
        window.waymark!('event', '');
        window.waymark!('event', 42);
        window.waymark!('event', 'getter', {
          get boom(): string {
            throw new Error('from the page');
          },
        });
      });
      expect(await settle(page, 1)).toEqual([pageview('/')]);
      expect(pageErrors).toEqual([]);
    });
  });

  describe('visitor and event ids', () => {
    it('keeps the visitor id in localStorage across a reload; every event id is new', async () => {
      const page = await openPage('/');
      await waitForEvents(1);
      await page.reload();
      await waitForEvents(2);
      await page.evaluate(() => window.waymark!('event', 'after-reload'));
      const all = await waitForEvents(3);
      const stored = await page.evaluate(() => localStorage.getItem('waymark_vid'));
      expect(stored).toMatch(VISITOR_ID);
      expect(all.map((e) => e.visitor)).toEqual([stored, stored, stored]);
      expect(new Set(all.map((e) => e.id)).size).toBe(3);
    });

    it.each([
      {
        name: 'getItem and setItem throw (Safari private mode)',
        init: () => {
          Storage.prototype.getItem = () => {
            throw new DOMException('storage blocked', 'SecurityError');
          };
          Storage.prototype.setItem = () => {
            throw new DOMException('storage blocked', 'QuotaExceededError');
          };
        },
      },
      {
        name: 'reading window.localStorage throws (storage blocked)',
        init: () => {
          Object.defineProperty(window, 'localStorage', {
            get() {
              throw new DOMException('storage blocked', 'SecurityError');
            },
          });
        },
      },
    ])('sends without a visitor when $name', async ({ init }) => {
      const page = await openPage('/', init);
      await waitForEvents(1);
      await page.evaluate(() => window.waymark!('event', 'no-storage'));
      const all = await waitForEvents(2);
      expect(all).toEqual([
        pageview('/', { visitor: undefined }),
        customEvent('/', 'no-storage', { visitor: undefined }),
      ]);
      for (const event of all) expect(event).not.toHaveProperty('visitor');
      expect(pageErrors).toEqual([]);
    });

    it.each(PRIVACY_SIGNALS)('stores nothing and sends no visitor under $name', async ({ init }) => {
      const page = await openPage('/', init);
      expect(await waitForEvents(1)).toEqual([pageview('/', { visitor: undefined })]);
      expect(await page.evaluate(() => localStorage.length)).toBe(0);
    });
  });

  describe('identify', () => {
    const ADDRESS = 'Ana.Silva@Horses.TEST';

    it('sends the SHA-256 of the trimmed, lower-cased address with flat traits, never the address', async () => {
      const page = await openPage('/');
      const [view] = await waitForEvents(1);
      await page.evaluate((address) => window.waymark!('identify', `  ${address}\n`, { plan: 'pro', seats: 3, nested: { x: 1 }, none: null }), ADDRESS);
      const [, identify] = await waitForEvents(2);
      expect(identify).toEqual({
        type: 'identify',
        site: 'example.com',
        id: expect.stringMatching(EVENT_ID),
        visitor: view!.visitor,
        url: siteOrigin + '/',
        time: expect.any(Number),
        sent: expect.any(Number),
        person: sha256('ana.silva@horses.test'),
        traits: { plan: 'pro', seats: 3 },
        hints: HINTS,
      });
      // Neither the address nor any part of it, in any case.
      const raw = requests().at(-1)!.text.toLowerCase();
      for (const part of ['ana.silva', 'horses.test', '@']) expect(raw).not.toContain(part);
      expect(pageErrors).toEqual([]);
    });

    it('leaves traits out when there are none', async () => {
      const page = await openPage('/');
      await waitForEvents(1);
      await page.evaluate(() => window.waymark!('identify', 'user-42', { nested: { x: 1 } }));
      const [, identify] = await waitForEvents(2);
      expect(identify).toMatchObject({ type: 'identify', person: sha256('user-42') });
      expect(identify).not.toHaveProperty('traits');
    });

    it('ignores an address that names nobody: blank, missing, or not a string', async () => {
      const page = await openPage('/');
      await waitForEvents(1);
      await page.evaluate(() => {
        window.waymark!('identify', '');
        window.waymark!('identify', '   ');
        window.waymark!('identify');
        window.waymark!('identify', null);
        window.waymark!('identify', { email: 'ana@example.com' });
      });
      expect(await settle(page, 1)).toEqual([pageview('/')]);
      expect(pageErrors).toEqual([]);
      expect(await unhandledRejections(page)).toEqual([]);
    });

    it.each(PRIVACY_SIGNALS)('sends nothing under $name, where there is no visitor to link the person to', async ({ init }) => {
      const page = await openPage('/', init);
      await waitForEvents(1);
      await page.evaluate(() => window.waymark!('identify', 'ana@example.com'));
      expect(await settle(page, 1)).toEqual([pageview('/', { visitor: undefined })]);
    });

    it('does nothing, and raises nothing, where crypto.subtle is missing (pages on plain http)', async () => {
      const page = await openPage('/', () => Object.defineProperty(Crypto.prototype, 'subtle', { get: () => undefined }));
      await waitForEvents(1);
      await page.evaluate(() => window.waymark!('identify', 'ana@example.com'));
      expect(await settle(page, 1)).toEqual([pageview('/')]);
      expect(pageErrors).toEqual([]);
      expect(await unhandledRejections(page)).toEqual([]);
    });
  });

  describe('consent mode (data-require-consent)', () => {
    const stored = (page: Page) => page.evaluate(() => localStorage.getItem('waymark_vid'));

    it('before consent, stores nothing and sends no visitor', async () => {
      const page = await openPage('/consent');
      await waitForEvents(1);
      await page.evaluate(() => window.waymark!('event', 'before'));
      expect(await waitForEvents(2)).toEqual([pageview('/consent', { visitor: undefined }), customEvent('/consent', 'before', { visitor: undefined })]);
      expect(await page.evaluate(() => localStorage.length)).toBe(0);
    });

    it('after consent, stores an id and every event carries it with consent: true, on this page and the next', async () => {
      const page = await openPage('/consent');
      await waitForEvents(1);
      await page.evaluate(() => {
        window.waymark!('consent', true);
        window.waymark!('event', 'agreed');
        history.pushState({}, '', '/consent?step=2');
      });
      const id = await stored(page);
      expect(id).toMatch(VISITOR_ID);
      await waitForEvents(3);
      // A stored id can only have been written after consent: the next page load uses it from its first pageview.
      await page.reload();
      const all = await waitForEvents(4);
      expect(all.slice(1)).toEqual([
        customEvent('/consent', 'agreed', { visitor: id, consent: true }),
        pageview('/consent?step=2', { visitor: id, consent: true, referrer: `${siteOrigin}/consent` }),
        pageview('/consent?step=2', { visitor: id, consent: true }),
      ]);
    });

    it('after consent is withdrawn, removes the id and sends no visitor again', async () => {
      const page = await openPage('/consent');
      await waitForEvents(1);
      await page.evaluate(() => window.waymark!('consent', true));
      expect(await stored(page)).toMatch(VISITOR_ID);
      await page.evaluate(() => {
        window.waymark!('consent', false);
        window.waymark!('event', 'withdrawn');
      });
      expect((await waitForEvents(2))[1]).toEqual(customEvent('/consent', 'withdrawn', { visitor: undefined }));
      expect(await page.evaluate(() => localStorage.length)).toBe(0);
      await page.reload();
      expect((await waitForEvents(3))[2]).toEqual(pageview('/consent', { visitor: undefined }));
      expect(await page.evaluate(() => localStorage.length)).toBe(0);
    });

    it('applies a consent call queued before the script loaded to the first pageview', async () => {
      const page = await openPage('/consent-queued', recordBeacons);
      await waitForEvents(2);
      const id = await stored(page);
      expect(id).toMatch(VISITOR_ID);
      expect(await beaconsSent(page)).toEqual([
        pageview('/consent-queued', { visitor: id, consent: true }),
        customEvent('/consent-queued', 'early', { visitor: id, consent: true }),
      ]);
    });

    it.each(PRIVACY_SIGNALS)('lets $name win over consent: nothing stored, no visitor, no consent flag', async ({ init }) => {
      const page = await openPage('/consent', init);
      await waitForEvents(1);
      await page.evaluate(() => {
        window.waymark!('consent', true);
        window.waymark!('event', 'agreed');
      });
      expect((await waitForEvents(2))[1]).toEqual(customEvent('/consent', 'agreed', { visitor: undefined }));
      expect(await page.evaluate(() => localStorage.length)).toBe(0);
    });
  });

  describe('consent calls without consent mode', () => {
    it('takes a withdrawal: removes the id and sends no visitor for the rest of the page, whatever follows', async () => {
      const page = await openPage('/');
      await waitForEvents(1);
      await page.evaluate(() => {
        window.waymark!('consent', false);
        window.waymark!('event', 'withdrawn');
        window.waymark!('consent', true);
        history.pushState({}, '', '/next');
      });
      const all = await waitForEvents(3);
      expect(all).toEqual([
        pageview('/'),
        customEvent('/', 'withdrawn', { visitor: undefined }),
        pageview('/next', { visitor: undefined, referrer: siteOrigin + '/' }),
      ]);
      expect(await page.evaluate(() => localStorage.length)).toBe(0);
    });

    it('applies a withdrawal queued before the script loaded to the first pageview', async () => {
      const page = await openPage('/withdrawn-queued', recordBeacons);
      await waitForEvents(2);
      expect(await beaconsSent(page)).toEqual([
        pageview('/withdrawn-queued', { visitor: undefined }),
        customEvent('/withdrawn-queued', 'early', { visitor: undefined }),
      ]);
      expect(await page.evaluate(() => localStorage.length)).toBe(0);
    });

    it('ignores consent given: the id is in use already, and no consent flag is sent', async () => {
      const page = await openPage('/');
      await waitForEvents(1);
      await page.evaluate(() => {
        window.waymark!('consent', true);
        window.waymark!('event', 'after');
      });
      const [view, event] = await waitForEvents(2);
      expect(event).toEqual(customEvent('/', 'after', { visitor: view!.visitor }));
    });
  });

  describe('signals for the bot filter and the device', () => {
    it('says when the browser is driven by automation (navigator.webdriver)', async () => {
      await openPage('/', () => Object.defineProperty(Navigator.prototype, 'webdriver', { get: () => true }));
      expect(await waitForEvents(1)).toEqual([pageview('/', { webdriver: true })]);
    });

    it('sends no hints where the browser has no userAgentData (Firefox, Safari)', async () => {
      await openPage('/', () => Object.defineProperty(Navigator.prototype, 'userAgentData', { get: () => undefined }));
      expect(await waitForEvents(1)).toEqual([pageview('/', { hints: undefined })]);
    });

    it('tells an iPad (a Mac user agent with a touch screen and no userAgentData) by its touch points', async () => {
      context = await browser.newContext({
        userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
      });
      await context.addInitScript(() => {
        Object.defineProperty(Navigator.prototype, 'userAgentData', { get: () => undefined });
        Object.defineProperty(Navigator.prototype, 'maxTouchPoints', { get: () => 5 });
      });
      const page = await context.newPage();
      await page.goto(siteOrigin + '/');
      const [event] = await waitForEvents(1);
      expect(event!.hints).toEqual({ maxTouchPoints: 5 });
    });

    it('sends the low-entropy hints when the high-entropy ones are refused', async () => {
      await openPage('/', () => {
        const uaData = (globalThis as unknown as { NavigatorUAData: { prototype: { getHighEntropyValues: () => Promise<never> } } }).NavigatorUAData;
        uaData.prototype.getHighEntropyValues = () => Promise.reject(new Error('denied'));
      });
      expect(await waitForEvents(1)).toEqual([pageview('/', { hints: { brands: HINTS.brands, mobile: false, platform: 'Linux' } })]);
    });
  });

  describe('transport', () => {
    it.each([
      {
        name: 'sendBeacon is missing',
        init: () => {
          delete (Navigator.prototype as Partial<Navigator>).sendBeacon;
        },
      },
      {
        name: 'sendBeacon refuses the data',
        init: () => {
          Navigator.prototype.sendBeacon = () => false;
        },
      },
    ])('falls back to fetch(keepalive) as text/plain when $name', async ({ init }) => {
      const page = await openPage('/', init);
      await waitForEvents(1);
      expect(await settle(page, 1)).toEqual([pageview('/')]);
      // Every request, the marker's included, was a simple POST: no OPTIONS preflight.
      expect(requests().map((r) => `${r.method} ${r.path} ${r.contentType}`)).toEqual([
        `POST /e ${TEXT_PLAIN}`,
        `POST /e ${TEXT_PLAIN}`,
      ]);
      expect(pageErrors).toEqual([]);
    });
  });

  it(`bundles to under ${SIZE_BUDGET_GZIPPED} bytes gzipped`, () => {
    const gzipped = gzipSync(collector.bundle, { level: 9 }).length;
    expect(gzipped).toBeLessThan(SIZE_BUDGET_GZIPPED);
    expect(collector.bundle).toContain('/*! Waymark tracker, MIT license */');
  });
});

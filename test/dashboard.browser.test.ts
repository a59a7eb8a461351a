// The dashboard page in real Chromium against the real collector: it shows the figures of the API,
// opens a visitor's journey, renders hostile page data as text, and shows times in the site's zone.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP_CHROME_UA, launchChromium } from './browser.ts';
import { newId, pageview, send, startTestServer, type TestServer } from './helpers/test-server.ts';

const site = 'dash.example';
const HOSTILE_TITLE = '<img src=x onerror="window.__pwned=1">Pricing';
const HOSTILE_PATH = '/<script>window.__pwned=2</script>';

// The start of the previous hour: recent, and the visits (45 s) cannot straddle midnight.
const START = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000;
let server: TestServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  // Now, in the server's clock, so the dashboard's default period (the last 30 days) holds the visits.
  server = await startTestServer({ startTime: START });
  const visitor = 'dashVisitor0000001';
  await send(server, pageview({ site, visitor, url: `https://${site}/`, title: 'Home', referrer: 'https://news.ycombinator.com/' }));
  server.advance(42_000);
  await send(server, pageview({ site, visitor, url: `https://${site}${encodeURI(HOSTILE_PATH)}`, title: HOSTILE_TITLE }));
  server.advance(3_000);
  await send(server, { type: 'event', site, visitor, id: newId(), url: `https://${site}/pricing`, name: 'signup', props: { plan: '<b>pro</b>' } });
  await send(server, pageview({ site, visitor: 'dashVisitor0000002', url: `https://${site}/` }));

  browser = await launchChromium();
  const context = await browser.newContext({ userAgent: DESKTOP_CHROME_UA, viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const text = (testId: string) => page.getByTestId(testId).first().innerText();

describe('the dashboard', () => {
  it('asks for the token when it has none, and says when one is refused', async () => {
    await page.goto(`${server.url}/dashboard`);
    await page.getByTestId('token-input').fill('not-the-right-token-at-all');
    await page.getByTestId('token-submit').click();
    await expect.poll(() => page.getByTestId('token-message').innerText()).toContain('That token was refused.');
  });

  it('shows the site\'s figures from the API', async () => {
    await page.goto(`${server.url}/dashboard#token=${server.adminToken}`);
    await page.getByTestId('kpi-visitors').waitFor();
    // The token moved from the address bar into the tab's session storage.
    expect(page.url()).not.toContain(server.adminToken);
    await page.getByTestId('site-picker').selectOption(site);
    await expect.poll(() => text('kpi-visitors')).toContain('2');
    expect(await text('kpi-sessions')).toContain('2');
    expect(await text('kpi-pageviews')).toContain('3');
    expect(await text('kpi-bounce-rate')).toContain('50');
    expect(await text('top-pages')).toContain(HOSTILE_PATH);
    expect(await text('top-referrers')).toContain('Hacker News');
    expect(await text('channels')).toContain('social');
    expect(await text('browsers')).toContain('Chrome');
    expect(await text('time-zone')).toBe('Times are in UTC, the site’s time zone.');
    // One bar per day of the default period (the last 30 days), zero days included.
    expect(await page.getByTestId('chart-day').count()).toBe(30);
    const visitDay = new Date(START).toISOString().slice(0, 10);
    expect(await page.locator(`[data-testid="chart-day"][data-day="${visitDay}"]`).getAttribute('data-pageviews')).toBe('3');
  });

  it('opens a visitor\'s journey, with hostile page data shown as text', async () => {
    await page.locator('[data-testid="visitor-link"][title="dashVisitor0000001"]').click();
    await page.getByTestId('journey').waitFor();
    expect(await page.getByTestId('journey-session').count()).toBe(1);
    const events = await page.getByTestId('journey-event').allInnerTexts();
    expect(events).toHaveLength(3);
    expect(events[0]).toContain('Home');
    expect(events[1]).toContain(HOSTILE_TITLE);
    expect(events[2]).toContain('signup');
    expect(events[2]).toContain('plan=<b>pro</b>');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('[data-testid="journey"] img, [data-testid="journey"] script, [data-testid="journey"] b').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it('shows a journey\'s times in the site\'s time zone, and names the zone once', async () => {
    const paris = 'paris.example';
    const visitor = 'parisVisitor000001';
    const at = server.now();
    await send(server, pageview({ site: paris, visitor, url: `https://${paris}/`, title: 'Accueil' }));
    const patched = await fetch(`${server.url}/api/sites/${paris}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${server.adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ timeZone: 'Europe/Paris' }),
    });
    expect(patched.status).toBe(200);

    await page.goto(`${server.url}/dashboard#token=${server.adminToken}&site=${paris}&visitor=${visitor}`);
    // The page still shows the last journey until this one is read.
    await page.getByTestId('journey-visitor').filter({ hasText: visitor }).waitFor();
    // sv-SE writes "2026-11-02 11:00:00": Paris's wall clock, worked out apart from the dashboard's
    // own formatting. Paris is never on UTC, so a time shown in UTC cannot pass.
    const local = new Date(at).toLocaleString('sv-SE', { timeZone: 'Europe/Paris' });
    expect(await text('journey-visitor')).toContain(local.slice(0, 16));
    expect(await page.locator('.session-head').innerText()).toContain(local.slice(0, 16));
    expect(await text('journey-event')).toContain(local.slice(11));
    expect(await text('time-zone')).toBe('Times are in Europe/Paris, the site’s time zone.');
    expect(pageErrors).toEqual([]);
  });
});

// The demo site a fresh install serves: its pages carry the tag, and its themes score them.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SITE } from '../collector/server.ts';
import { DESKTOP_CHROME_UA, launchChromium } from './browser.ts';
import { api, startTestServer, type TestServer } from './helpers/test-server.ts';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const pageviews = () => server.query<{ path: string; title: string }>("SELECT path, title FROM events WHERE type = 'pageview' ORDER BY id");

describe('the demo site', () => {
  it('counts its pages with their titles, and gives them the demo themes', async () => {
    const context = await browser.newContext({ userAgent: DESKTOP_CHROME_UA });
    const page = await context.newPage();
    await page.goto(`${server.url}/demo/`);
    await expect.poll(() => pageviews().length).toBe(1);
    for (const [link, count] of [['Racing tips', 2], ['A recipe', 3]] as const) {
      await page.getByRole('link', { name: link }).click();
      await expect.poll(() => pageviews().length).toBe(count);
    }
    expect(pageviews()).toEqual([
      { path: '/demo/', title: 'Waymark demo site' },
      { path: '/demo/blog/gold-cup-tips', title: 'Gold Cup tips: our jockey and trainer picks' },
      { path: '/demo/blog/sourdough', title: 'Easy sourdough bread recipe' },
    ]);
    await server.themes.idle();
    const chosen = async (path: string) =>
      (await api(server, `/api/sites/${DEMO_SITE}/pages/themes?path=${path}`)).json.scores.filter((s: any) => s.chosen).map((s: any) => s.themeId);
    expect(await chosen('/demo/blog/gold-cup-tips')).toEqual(['horse-racing']);
    expect(await chosen('/demo/blog/sourdough')).toEqual(['cooking']);
    const visitor = await page.evaluate(() => localStorage.getItem('waymark_vid')!);
    const themes = (await api(server, `/api/sites/${DEMO_SITE}/visitors/${visitor}`)).json.themes.map((t: any) => t.themeId);
    expect(themes.sort()).toEqual(['cooking', 'horse-racing']);
    await context.close();
  });
});

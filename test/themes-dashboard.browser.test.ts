// The Themes and Segments pages in real Chromium against the real collector, its scorer thread and
// SQLite file: themes are defined in the editor, a visitor reads racing pages on three days, and the
// pages show the theme's pages, a page's scores, a tried page, a segment with that visitor in it and
// its CSV, and the visitor's journey shows the theme. Hostile theme text stays text.
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP_CHROME_UA, launchChromium } from './browser.ts';
import { newId, pageview, send, startTestServer, type TestServer } from './helpers/test-server.ts';

const SITE = 'themes.example';
const DAY = 86_400_000;
const FAN = 'racingFanVisitor01';
const HOSTILE_NAME = '<img src=x onerror="window.__pwned=1">';
const HOSTILE_DESCRIPTION = '<img src=x onerror="window.__pwned=2"> a theme whose name tries to run script';
const PAGES: Record<string, { title: string; description: string }> = {
  '/racing/derby-tips': { title: 'Derby tips: our jockey and trainer picks', description: 'Who to back at the racecourse this weekend, with odds and runners for every race.' },
  '/racing/gold-cup': { title: 'Gold Cup result: favourite wins by a length', description: 'The horse and its jockey held off the field in the big race at Cheltenham.' },
  '/racing/form-guide': { title: 'Form guide for the handicap', description: 'Every runner rated, with the trainer’s comments and the betting market.' },
};

// The start of the previous hour, in the server's clock at the end: the dashboard's default period
// (the last 30 days of the browser's clock) and the segment's window both hold the three days.
const NOW = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000;
let server: TestServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  server = await startTestServer({ startTime: NOW - 6 * DAY });
  // A site exists once it sends something.
  expect((await send(server, pageview({ site: SITE, visitor: 'firstVisitor00001', url: `https://${SITE}/` }))).status).toBe(202);
  browser = await launchChromium();
  const context = await browser.newContext({ userAgent: DESKTOP_CHROME_UA, viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** A pageview with its text, and the report of two minutes' reading that follows it. */
async function read(visitor: string, path: string) {
  const view = pageview({ site: SITE, visitor, url: `https://${SITE}${path}`, ...PAGES[path] });
  expect((await send(server, view)).status).toBe(202);
  const report = { type: 'engagement', site: SITE, visitor, id: newId('en'), url: `https://${SITE}${path}`, pageview: view.id, engagedMs: 120_000 };
  expect((await send(server, report)).status).toBe(202);
}

/** Loads the dashboard afresh (a fragment alone would not reload an open page); the token stays in the tab's session storage. */
const open = async (fragment: string, testId: string) => {
  await page.goto('about:blank');
  await page.goto(`${server.url}/dashboard#${fragment}`);
  await page.getByTestId(testId).first().waitFor();
};
const themeRow = (index: number) => page.getByTestId('theme-row').nth(index);

describe('the Themes page', () => {
  it('defines themes and a rule in the editor, showing the API\'s refusal as it is', async () => {
    await open(`token=${server.adminToken}&site=${SITE}&view=themes`, 'no-themes');
    expect(await page.getByTestId('tab-themes').getAttribute('aria-current')).toBe('page');

    await page.getByTestId('add-theme').click();
    await themeRow(0).getByTestId('theme-name').fill('Horse racing');
    // The id follows the name until typed.
    expect(await themeRow(0).getByTestId('theme-id').inputValue()).toBe('horse-racing');
    await themeRow(0).getByTestId('theme-description').fill('Racing.');
    await page.getByTestId('save-themes').click();
    await expect.poll(() => page.getByTestId('themes-error').innerText()).toMatch(/^themes\.0\.description: at least 10 characters/);
    expect(await themeRow(0).getByTestId('theme-description').getAttribute('aria-invalid')).toBe('true');

    await themeRow(0).getByTestId('theme-description').fill('Racing horses on the flat and over jumps: race meetings, form and odds, tips, jockeys, trainers and results.');
    await page.getByTestId('add-theme').click();
    await themeRow(1).getByTestId('theme-name').fill('Cooking');
    await themeRow(1).getByTestId('theme-description').fill('Food made at home: recipes and baking, cooking methods, ingredients, kitchens and the chefs who share them.');
    await page.getByTestId('add-theme').click();
    await themeRow(2).getByTestId('theme-name').fill(HOSTILE_NAME);
    await themeRow(2).getByTestId('theme-id').fill('hostile');
    await themeRow(2).getByTestId('theme-description').fill(HOSTILE_DESCRIPTION);
    await page.getByTestId('add-rule').click();
    const rule = page.getByTestId('rule-row').first();
    await rule.getByTestId('rule-theme').selectOption('cooking');
    await rule.getByTestId('rule-url').fill('/recipes/**');
    await page.getByTestId('save-themes').click();

    await expect.poll(() => page.getByTestId('notice').innerText()).toContain('Themes saved (version 1)');
    // The page was loaded again from the API: the editor shows what was stored.
    expect(await page.getByTestId('theme-id').evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value))).toEqual(['horse-racing', 'cooking', 'hostile']);
    expect(await page.getByTestId('rule-row').count()).toBe(1);
    expect(await page.getByTestId('rule-url').inputValue()).toBe('/recipes/**');
    expect(await page.getByTestId('rule-theme').inputValue()).toBe('cooking');
  });

  it('shows a theme\'s pages, top pages and interest once a visitor has read them on three days', async () => {
    for (const [index, paths] of [['/racing/derby-tips', '/racing/form-guide'], ['/racing/gold-cup'], ['/racing/derby-tips']].entries()) {
      if (index > 0) server.advance(3 * DAY);
      for (const path of paths) await read(FAN, path);
    }
    await server.themes.idle();

    await open(`site=${SITE}&view=themes`, 'theme-card');
    const racing = page.locator('[data-testid="theme-card"][data-theme-id="horse-racing"]');
    expect(await racing.getByTestId('theme-pages').innerText()).toBe('3 pages');
    expect(await racing.getByTestId('theme-pageviews').innerText()).toContain('4 pageviews');
    expect(await racing.getByTestId('theme-top-page').first().innerText()).toBe('/racing/derby-tips');
    expect(await page.getByTestId('pages-scored').innerText()).toContain('Pages scored: 3 of 3');
    // Interest on the three days the visitor read, on the chart's line.
    const interested = await racing.locator('[data-testid="chart-day"]').evaluateAll((days) => days.filter((day) => Number(day.getAttribute('data-interest')) > 0).length);
    expect(interested).toBe(3);

    await racing.getByTestId('theme-top-page').first().click();
    const panel = page.getByTestId('page-themes');
    await expect.poll(() => panel.getByTestId('page-chosen').innerText()).toBe('Horse racing');
    expect(await panel.getByTestId('page-scores').innerText()).toMatch(/jockey|racecourse|trainer/);
  });

  it('tries a page without storing it', async () => {
    const box = page.getByTestId('try-page');
    await box.getByTestId('try-url').fill(`https://${SITE}/racing/grand-national`);
    await box.getByTestId('try-title').fill('Grand National runners and riders');
    await box.getByTestId('try-description').fill('The favourite, its trainer and jockey, and the odds for every horse in the big race at Aintree.');
    await box.getByTestId('try-submit').click();
    await expect.poll(() => box.getByTestId('try-chosen').innerText()).toBe('Horse racing');
    const scores = await box.getByTestId('try-scores').innerText();
    expect(scores).toContain('“No theme” reference');
    expect(scores).toContain('Cooking');
    expect(server.query('SELECT path FROM page_texts WHERE path = ?', '/racing/grand-national')).toEqual([]);
  });

  it('renders a hostile theme name and description as text', async () => {
    const hostile = page.locator('[data-testid="theme-card"][data-theme-id="hostile"]');
    expect(await hostile.getByTestId('theme-name').innerText()).toBe(HOSTILE_NAME);
    expect(await hostile.innerText()).toContain(HOSTILE_DESCRIPTION);
    expect(await page.locator('[data-testid="view"] img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });
});

describe('the Segments page', () => {
  it('previews a segment\'s size, saves it, lists its member and downloads them as CSV', async () => {
    await page.getByTestId('tab-segments').click();
    await page.getByTestId('segment-form').waitFor();
    expect(await page.getByTestId('no-segments').innerText()).toContain('No segments yet');
    const form = page.getByTestId('segment-form');
    await form.getByTestId('segment-name').fill('Racing fans');
    await form.getByTestId('segment-themeId').selectOption('horse-racing');
    expect(await form.getByTestId('segment-minDays').inputValue()).toBe('3');
    await form.getByTestId('segment-preview-button').click();
    await expect.poll(() => form.getByTestId('preview-size').innerText()).toBe('1 member');
    expect(await form.getByTestId('preview-members').innerText()).toContain(FAN.slice(0, 10));

    await form.getByTestId('segment-save').click();
    await expect.poll(() => page.getByTestId('notice').innerText()).toContain('Segment “Racing fans” created.');
    const segment = page.getByTestId('segment').first();
    expect(await segment.getByTestId('segment-size').innerText()).toBe('1 member');
    expect(await segment.getByTestId('segment-definition').innerText()).toBe('Horse racing on 3+ of the last 30 days, interest ≥ 1, seen within 14 days');
    expect(await segment.getByTestId('member-visitor').getAttribute('title')).toBe(FAN);
    const row = await segment.getByTestId('segment-members').locator('tbody tr').innerText();
    expect(row).toContain('/racing/derby-tips');

    const [download] = await Promise.all([page.waitForEvent('download'), segment.getByTestId('segment-csv').click()]);
    expect(download.suggestedFilename()).toMatch(/^themes\.example-segment-\d+\.csv$/);
    const csv = await readFile(await download.path(), 'utf8');
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('visitor_id,person_id,hashed_email,interest,days_active,last_seen,top_pages');
    expect(lines[1]).toMatch(new RegExp(`^"${FAN}","","",`));
  });

  it('says what the server refuses, as it says it', async () => {
    const form = page.getByTestId('segment-form').last();
    await form.getByTestId('segment-name').fill('Impossible');
    await form.getByTestId('segment-minDays').fill('9');
    await form.getByTestId('segment-windowDays').fill('7');
    await form.getByTestId('segment-save').click();
    await expect.poll(() => form.getByTestId('segment-error').innerText()).toBe('minDays: minDays cannot exceed windowDays');
    expect(await page.getByTestId('segment').count()).toBe(1);
  });

  it('opens the member\'s journey, which shows the top theme', async () => {
    await page.getByTestId('member-visitor').first().click();
    await page.getByTestId('journey').waitFor();
    const themes = page.getByTestId('journey-themes');
    expect(await themes.locator('li').first().getAttribute('data-theme-id')).toBe('horse-racing');
    expect(await themes.locator('li').first().innerText()).toMatch(/^Horse racing: interest [\d.]+, 3 days$/);
    expect(await page.getByTestId('back-to-overview').innerText()).toBe('← Back to segments');
    await page.getByTestId('back-to-overview').click();
    await page.getByTestId('segments-page').waitFor();
  });

  it('edits a segment in place', async () => {
    const segment = page.getByTestId('segment').first();
    await segment.getByTestId('segment-edit').click();
    const form = segment.getByTestId('segment-form');
    expect(await form.getByTestId('segment-name').inputValue()).toBe('Racing fans');
    await form.getByTestId('segment-name').fill('Racing regulars');
    await form.getByTestId('segment-countries').fill('fr');
    await form.getByTestId('segment-save').click();
    await expect.poll(() => page.getByTestId('notice').innerText()).toContain('Segment “Racing regulars” saved.');
    const saved = page.getByTestId('segment').first();
    expect(await saved.getByTestId('segment-definition').innerText()).toContain('; countries FR');
    // The test's visitor has no place (a loopback address), so nobody is left in it.
    expect(await saved.getByTestId('segment-size').innerText()).toBe('0 members');
  });

  it('deletes a segment after asking in place', async () => {
    const segment = page.getByTestId('segment').first();
    await segment.getByTestId('segment-delete').click();
    await segment.getByTestId('segment-delete-confirm').click();
    await expect.poll(() => page.getByTestId('notice').innerText()).toContain('deleted');
    expect(await page.getByTestId('segment').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});

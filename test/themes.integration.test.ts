// Themes, page scores, interest and segments through the real server, its scorer and writer threads
// and its SQLite file, on an injected clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildDerived } from '../collector/rebuild.ts';
import { api, newId, pageview, send, startTestServer, type TestServer } from './helpers/test-server.ts';

const SITE = 'news.example';
const DAY = 86_400_000;
const THEMES = [
  { id: 'horse-racing', name: 'Horse racing', description: 'Racing horses on the flat and over jumps: race meetings, form and odds, tips, jockeys, trainers and results.' },
  { id: 'cooking', name: 'Cooking', description: 'Food made at home: recipes and baking, cooking methods, ingredients, kitchens and the chefs who share them.' },
  { id: 'travel', name: 'Travel', description: 'Going away: places to visit, trip plans, flights and hotels, city breaks and advice for the journey.' },
];
const PAGES: Record<string, { title: string; description: string }> = {
  '/racing/derby-tips': { title: 'Derby tips: our jockey and trainer picks', description: 'Who to back at the racecourse this weekend, with odds and runners for every race.' },
  '/racing/gold-cup': { title: 'Gold Cup result: favourite wins by a length', description: 'The horse and its jockey held off the field in the big race at Cheltenham.' },
  '/racing/form-guide': { title: 'Form guide for the handicap', description: 'Every runner rated, with the trainer’s comments and the betting market.' },
  '/recipes/bread': { title: 'Easy sourdough bread recipe', description: 'Bake a loaf at home: flour, water, salt and a starter, kneaded and baked in a hot oven.' },
  '/login': { title: 'Sign in to your account', description: 'Enter your email and password to log in.' },
};

let server: TestServer;

async function call(method: string, path: string, body?: unknown, accept = 'application/json') {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${server.adminToken}`, 'Content-Type': 'application/json', Accept: accept },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, text, json: text.startsWith('{') ? JSON.parse(text) : null, headers: response.headers };
}
async function read(visitor: string, path: string, engagedMs?: number) {
  const view = pageview({ site: SITE, visitor, url: `https://${SITE}${path}`, ...PAGES[path] });
  expect((await send(server, view)).status).toBe(202);
  if (engagedMs !== undefined) {
    const report = { type: 'engagement', site: SITE, visitor, id: newId('en'), url: `https://${SITE}${path}`, pageview: view.id, engagedMs };
    expect((await send(server, report)).status).toBe(202);
  }
}
const chosen = async (path: string) =>
  (await call('GET', `/api/sites/${SITE}/pages/themes?path=${encodeURIComponent(path)}`)).json.scores.filter((s: any) => s.chosen).map((s: any) => s.themeId);
/** The visits' interest as rows per theme, UTC day (the site's zone) and visitor. */
const interestRows = () =>
  server
    .query<{ visitor_id: string; started_at: number; interest: string }>('SELECT visitor_id, started_at, interest FROM sessions WHERE interest IS NOT NULL ORDER BY started_at, visitor_id')
    .flatMap((visit) =>
      Object.entries(JSON.parse(visit.interest) as Record<string, [number, number]>).map(([theme_id, [interest, pageviews]]) => ({
        theme_id,
        day: new Date(visit.started_at).toISOString().slice(0, 10),
        visitor_id: visit.visitor_id,
        interest: Math.round(interest * 1e6) / 1e6,
        pageviews,
      })),
    )
    .sort((a, b) => `${a.theme_id} ${a.day} ${a.visitor_id}`.localeCompare(`${b.theme_id} ${b.day} ${b.visitor_id}`));

beforeAll(async () => {
  server = await startTestServer({ startTime: Date.parse('2026-11-02T10:00:00Z') });
  await send(server, pageview({ site: SITE, visitor: 'setupVisitor00001', url: `https://${SITE}/` }));
});
afterAll(async () => {
  await server.stop();
});

describe('themes of a site', () => {
  it.each([
    { body: { themes: [{ id: 'Horse Racing', name: 'x', description: 'Horses and races, all of it.' }] }, error: /^themes\.0\.id: / },
    { body: { themes: [{ id: 'racing', name: 'Racing', description: 'short' }] }, error: /^themes\.0\.description: at least 10/ },
    { body: { themes: [THEMES[0], THEMES[0]] }, error: /^themes\.1\.id: "horse-racing" is given twice/ },
    { body: { themes: THEMES, rules: [{ themeId: 'golf', effect: 'force', words: ['birdie'] }] }, error: /^rules\.0\.themeId: no theme "golf"/ },
    { body: { themes: THEMES, rules: [{ themeId: 'travel', effect: 'force' }] }, error: /rules\.0: a rule needs a urlPattern or words/ },
  ])('refuses $error', async ({ body, error }) => {
    const answer = await call('PUT', `/api/sites/${SITE}/themes`, body);
    expect(answer.status).toBe(400);
    expect(answer.json.error).toMatch(error);
  });

  it('says when a body is not JSON at all', async () => {
    for (const [method, path] of [['PUT', `/api/sites/${SITE}/themes`], ['POST', `/api/sites/${SITE}/segments`], ['PATCH', `/api/sites/${SITE}`]] as const) {
      const response = await fetch(`${server.url}${path}`, { method, headers: { Authorization: `Bearer ${server.adminToken}`, 'Content-Type': 'application/json' }, body: '{"themes": [' });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toMatch(/^body is not valid JSON: /);
    }
  });

  it('stores themes and rules, and scores pages in the background', async () => {
    const rules = [{ themeId: 'travel', effect: 'force', urlPattern: '/racing/gold-cup' }];
    const answer = await call('PUT', `/api/sites/${SITE}/themes`, { themes: THEMES, rules });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ version: 1, themes: THEMES, rules });
    for (const path of Object.keys(PAGES)) await read('scoutVisitor00001', path);
    await server.themes.idle();
    expect(await chosen('/racing/derby-tips')).toEqual(['horse-racing']);
    expect(await chosen('/recipes/bread')).toEqual(['cooking']);
    expect(await chosen('/login')).toEqual([]);
    // The rule adds a theme the model did not give, and says so.
    const cup = (await call('GET', `/api/sites/${SITE}/pages/themes?path=/racing/gold-cup`)).json;
    expect(cup.scores.filter((s: any) => s.chosen).map((s: any) => s.themeId).sort()).toEqual(['horse-racing', 'travel']);
    expect(cup.scores.find((s: any) => s.themeId === 'travel').ruled).toMatchObject({ effect: 'force' });
    expect(cup.scores.find((s: any) => s.themeId === 'horse-racing').words.length).toBeGreaterThan(0);
  });

  it('lists the pages with their themes: all, one theme\'s, or those with none', async () => {
    const all = (await call('GET', `/api/sites/${SITE}/pages`)).json.pages;
    expect(all.map((page: any) => page.path).sort()).toEqual(Object.keys(PAGES).sort());
    expect(all.find((page: any) => page.path === '/recipes/bread')).toMatchObject({ title: PAGES['/recipes/bread']!.title, scored: true, chosen: ['cooking'] });
    expect((await call('GET', `/api/sites/${SITE}/pages?theme=`)).json.pages.map((page: any) => page.path)).toEqual(['/login']);
    expect((await call('GET', `/api/sites/${SITE}/pages?theme=cooking`)).json.pages.map((page: any) => page.path)).toEqual(['/recipes/bread']);
    expect((await call('GET', `/api/sites/${SITE}/pages?limit=0`)).status).toBe(400);
    const login = (await call('GET', `/api/sites/${SITE}/pages/themes?path=/login`)).json;
    // No theme beat the "no theme" reference on the login page.
    expect(login.scores.every((score: any) => score.score < login.none)).toBe(true);
  });

  it('tries a page without storing anything', async () => {
    const before = server.query('SELECT count(*) AS n FROM page_texts');
    const answer = await call('POST', `/api/sites/${SITE}/themes/score`, {
      url: 'https://news.example/food/pasta',
      title: 'Fresh pasta by hand',
      description: 'A chef shows how to make tagliatelle in your kitchen, with flour and eggs.',
    });
    expect(answer.status).toBe(200);
    expect(answer.json.chosen).toEqual(['cooking']);
    expect(answer.json.scores).toHaveLength(3);
    expect(server.query('SELECT count(*) AS n FROM page_texts')).toEqual(before);
    expect((await call('POST', `/api/sites/${SITE}/themes/score`, { title: 'no url' })).status).toBe(400);
  });
});

describe('interest and segments', () => {
  const FAN = 'racingFanVisitor01';
  const CASUAL = 'casualVisitor00001';

  beforeAll(async () => {
    // The fan reads racing pages on three different days; the casual reader one racing page, once.
    for (const [offset, paths] of [[1, ['/racing/derby-tips', '/racing/form-guide']], [3, ['/racing/gold-cup']], [6, ['/racing/derby-tips', '/recipes/bread']]] as const) {
      server.advance(Date.parse('2026-11-02T10:00:00Z') + offset * DAY - server.now());
      for (const path of paths) await read(FAN, path, 120_000);
    }
    await read(CASUAL, '/racing/derby-tips', 30_000);
    await server.themes.idle();
  });

  it('keeps daily interest per theme, weighted by engaged time, and shows a journey\'s top themes', async () => {
    const fan = interestRows().filter((row: any) => row.visitor_id === FAN && row.theme_id === 'horse-racing');
    expect(fan.map((row: any) => row.day)).toEqual(['2026-11-03', '2026-11-05', '2026-11-08']);
    expect(fan.every((row) => row.interest > 0)).toBe(true);
    const journey = (await api(server, `/api/sites/${SITE}/visitors/${FAN}`)).json;
    expect(journey.themes[0]).toMatchObject({ themeId: 'horse-racing', daysActive: 3 });
    expect(journey.themes.map((t: any) => t.themeId)).toContain('cooking');
  });

  it('puts the sustained reader in the theme\'s segment, and not the one-page reader', async () => {
    const created = await call('POST', `/api/sites/${SITE}/segments`, { name: 'Racing fans', themeId: 'horse-racing', minDays: 3, windowDays: 30, minInterest: 1, seenWithinDays: 14 });
    expect(created.status).toBe(201);
    const members = await call('GET', `/api/sites/${SITE}/segments/${created.json.id}/members`);
    expect(members.json.members.map((m: any) => m.visitorId)).toEqual([FAN]);
    expect(members.json.members[0]).toMatchObject({ personId: null, daysActive: 3, topPages: expect.arrayContaining(['/racing/derby-tips']) });
    const csv = await call('GET', `/api/sites/${SITE}/segments/${created.json.id}/members?format=csv`);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.text.split('\r\n')[0]).toBe('visitor_id,person_id,hashed_email,interest,days_active,last_seen,top_pages');
    expect(csv.text.split('\r\n')[1]).toMatch(new RegExp(`^"${FAN}","","",`));
    const preview = await call('POST', `/api/sites/${SITE}/segments/preview`, { name: 'Any racing', themeId: 'horse-racing', minDays: 1, minInterest: 0 });
    expect(preview.json.size).toBe(3);
  });

  it('checks segment definitions', async () => {
    expect((await call('POST', `/api/sites/${SITE}/segments`, { name: 'x', themeId: 'golf' })).json.error).toMatch(/^themeId: no theme "golf"/);
    expect((await call('POST', `/api/sites/${SITE}/segments`, { name: 'x', themeId: 'cooking', minDays: 9, windowDays: 7 })).json.error).toMatch(/^minDays: /);
    expect((await call('GET', `/api/sites/${SITE}/segments/999/members`)).status).toBe(404);
  });

  it('counts a person over all their devices once they identify', async () => {
    const person = 'f'.repeat(64);
    expect((await send(server, { type: 'identify', site: SITE, id: newId('id'), visitor: FAN, url: `https://${SITE}/login`, person })).status).toBe(202);
    const segments = (await call('GET', `/api/sites/${SITE}/segments`)).json.segments;
    const members = (await call('GET', `/api/sites/${SITE}/segments/${segments[0].id}/members`)).json.members;
    expect(members).toEqual([expect.objectContaining({ visitorId: FAN, personId: person, hashedEmail: person, daysActive: 3 })]);
    expect((await api(server, `/api/sites/${SITE}/people/${person}`)).json.themes[0]).toMatchObject({ themeId: 'horse-racing' });
  });

  it('reports each theme\'s pages and daily interest', async () => {
    const report = (await call('GET', `/api/sites/${SITE}/themes/report?from=2026-11-01&to=2026-11-08`)).json;
    const racing = report.themes.find((t: any) => t.id === 'horse-racing');
    expect(racing.pages).toBe(3);
    expect(racing.topPages[0]).toMatchObject({ path: '/racing/derby-tips' });
    expect(racing.perDay.find((d: any) => d.day === '2026-11-05')).toMatchObject({ visitors: 1, pageviews: 1 });
  });

  it('forgets an erased visitor\'s interest', async () => {
    expect(interestRows().some((row: any) => row.visitor_id === CASUAL)).toBe(true);
    expect((await call('DELETE', `/api/sites/${SITE}/visitors/${CASUAL}`)).status).toBe(200);
    expect(interestRows().some((row: any) => row.visitor_id === CASUAL)).toBe(false);
    const preview = await call('POST', `/api/sites/${SITE}/segments/preview`, { name: 'Any racing', themeId: 'horse-racing', minDays: 1, minInterest: 0 });
    expect(preview.json.size).toBe(2);
  });

  it('scores pages again when the themes change, then computes interest again, as a rebuild does', async () => {
    const themes = [...THEMES, { id: 'betting', name: 'Betting', description: 'Betting and gambling: odds, bookmakers, accumulators and betting tips.' }];
    expect((await call('PUT', `/api/sites/${SITE}/themes`, { themes })).json.version).toBe(2);
    await server.themes.idle();
    expect(server.query('SELECT themes_version AS t, interest_version AS i FROM sites WHERE domain = ?', SITE)).toEqual([{ t: 2, i: 2 }]);
    const atIngest = interestRows();
    // Gold Cup lost its forced travel theme with the rules.
    expect(await chosen('/racing/gold-cup')).not.toContain('travel');
    await server.close();
    rebuildDerived({ db: server.dbPath, sessionTimeoutMinutes: 30, sync: 'normal' });
    expect(interestRows()).toEqual(atIngest);
  });
});

/**
 * The theme scorer alone: how long the model takes to load the first time (deriving the compact
 * vectors from the bundled GloVe package) and then from its cache, the memory a process holding it
 * uses, and pages scored per second. `benchThemes()` returns the report's lines; run directly
 * (`tsx bench/themes.ts`) it prints them.
 *
 * The load and the memory are measured in a fresh process each (this file run with --load), so
 * neither the bench's own heap nor the first derivation's garbage is counted.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { loadThemeModel, type PageText, type Theme } from '../enrich/themes/index.ts';
import { PROJECT_ROOT } from './child.ts';
import { int, mib } from './report.ts';

const THEMES: Theme[] = [
  { id: 'cars', name: 'Cars', description: 'Motoring: new cars, road tests, electric vehicles and the car industry.' },
  { id: 'music', name: 'Music', description: 'Music: albums, concerts, tours, festivals and musicians.' },
  { id: 'racing', name: 'Horse racing', description: 'Horse racing: runners, results, jockeys, trainers and betting tips.' },
  { id: 'politics', name: 'Politics', description: 'Politics: elections, parties, parliament and public policy.' },
  { id: 'celebrities', name: 'Celebrities', description: 'Celebrity news and gossip: romances, weddings, reality TV.' },
  { id: 'football', name: 'Football', description: 'Football: matches, leagues, clubs, players and transfers.' },
  { id: 'cooking', name: 'Cooking', description: 'Cooking: recipes, baking, chefs and restaurants.' },
  { id: 'travel', name: 'Travel', description: 'Travel: destinations, flights, hotels and holidays.' },
  { id: 'technology', name: 'Technology', description: 'Technology: gadgets, smartphones, software and the internet.' },
  { id: 'money', name: 'Personal finance', description: 'Personal finance: saving, investing, mortgages and taxes.' },
  { id: 'fitness', name: 'Fitness', description: 'Keeping fit: exercise, running, nutrition and sleep.' },
  { id: 'fashion', name: 'Fashion', description: 'Fashion: clothing, trends, designers and accessories.' },
];

// A mix like a site's: English and French, themed and site furniture, title and description.
const PAGES: PageText[] = [
  { url: 'https://example.com/racing/gold-cup-tips', title: 'Gold Cup tips: our three best bets', description: 'The favourite jumped well at home and his trainer is confident.' },
  { url: 'https://example.com/login', title: 'Sign in to your account', description: 'Enter your email address and password.' },
  { url: 'https://exemple.fr/recettes/gratin', title: 'Gratin dauphinois : la vraie recette', description: 'Pommes de terre, lait, crème et une pointe d’ail, cuit au four.' },
  { url: 'https://example.com/reviews/ev-suv', title: 'Long-term test: the family electric SUV', description: 'Range, charging and running costs after 10,000 miles.' },
  { url: 'https://exemple.fr/politique/budget', title: 'Les députés adoptent le budget', description: 'Après des semaines de débats, le texte part au Sénat.' },
  { url: 'https://example.com/privacy', title: 'Privacy policy', description: 'What personal data we collect and your rights under the GDPR.' },
  { url: 'https://example.com/blog/index-funds', title: 'Index funds for beginners', description: 'How much to invest each month, and why fees matter.' },
  { url: 'https://exemple.fr/mode/tendances', title: 'Tendances mode printemps-été', description: 'Jupe midi, veste en lin et sandales plates : les pièces à avoir.' },
];

interface LoadFigures {
  loadMs: number;
  derived: boolean;
  rssBytes: number;
  /** The process's RSS before loading: Node, tsx and the modules, without the model. */
  rssBeforeBytes: number;
  words: number;
  dimensions: number;
  frenchDictionary: boolean;
}

/** Loads the model in a process of its own and reads back what it measured. */
function loadInChild(cacheDir: string): LoadFigures {
  const script = fileURLToPath(import.meta.url);
  const output = execFileSync(process.execPath, ['--import', 'tsx', script, '--load', cacheDir], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  return JSON.parse(output.trim().split('\n').at(-1)!) as LoadFigures;
}

async function loadAndReport(cacheDir: string): Promise<void> {
  const rssBeforeBytes = process.memoryUsage().rss;
  const model = await loadThemeModel({ cacheDir });
  const { loadMs, derived, words, dimensions, frenchDictionary } = model.info;
  const rssBytes = process.memoryUsage().rss;
  console.log(JSON.stringify({ loadMs, derived, rssBytes, rssBeforeBytes, words, dimensions, frenchDictionary: frenchDictionary !== null }));
}

/** Pages scored per second over about `seconds`, after a warm-up. */
function scoringRate(score: (page: PageText) => unknown, seconds = 1.5): number {
  for (let i = 0; i < 500; i++) score(PAGES[i % PAGES.length]!);
  let pages = 0;
  const started = performance.now();
  while (performance.now() - started < seconds * 1000) {
    for (let i = 0; i < 100; i++) score(PAGES[(pages + i) % PAGES.length]!);
    pages += 100;
  }
  return pages / ((performance.now() - started) / 1000);
}

export async function benchThemes(): Promise<string[]> {
  const cacheDir = mkdtempSync(join(tmpdir(), 'waymark-bench-themes-'));
  try {
    const first = loadInChild(cacheDir);
    const cached = loadInChild(cacheDir);
    const model = await loadThemeModel({ cacheDir });
    const prepareStarted = performance.now();
    const scorer = model.forThemes(THEMES);
    const prepareMs = performance.now() - prepareStarted;
    const perSecond = scoringRate((page) => scorer.score(page));
    return [
      `themes: bundled GloVe, ${int(cached.words)} words × ${cached.dimensions}d, French dictionary ${cached.frenchDictionary ? 'installed' : 'missing'}`,
      `  first load (derives the compact file)  ${int(first.loadMs).padStart(8)} ms${first.derived ? '' : ' (was cached: not a first load)'}`,
      `  load from the compact file             ${int(cached.loadMs).padStart(8)} ms`,
      `  RSS of a process after that load       ${int(mib(cached.rssBytes)).padStart(8)} MiB (+${int(mib(cached.rssBytes - cached.rssBeforeBytes))} MiB for the model)`,
      `  prepare ${THEMES.length} themes                       ${int(prepareMs).padStart(8)} ms`,
      `  pages scored                           ${int(perSecond).padStart(8)} pages/s  ${(1e6 / perSecond).toFixed(0).padStart(6)} µs`,
    ];
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const loadAt = process.argv.indexOf('--load');
  if (loadAt >= 0) await loadAndReport(process.argv[loadAt + 1]!);
  else console.log((await benchThemes()).join('\n'));
}

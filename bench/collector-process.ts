/**
 * The full collector (validation, enrichment, group commit to SQLite) as the product starts it,
 * on a fresh SQLite file in a temporary folder. `close` commits and closes the file, and
 * answers with its path so bench/run.ts can count what was stored.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../collector/config.ts';
import { startCollector } from '../collector/server.ts';
import { answerRequests, PROJECT_ROOT } from './child.ts';
import { BENCH_THEMES, SITE } from './traffic.ts';
import { createProcessStats } from './process-stats.ts';

export interface CollectorCloseReport {
  dir: string;
  dbPath: string;
  sync: string;
  errorLines: string[];
}

const dir = mkdtempSync(join(tmpdir(), 'waymark-bench-'));
const dbPath = join(dir, 'waymark.db');
const withThemes = process.argv.includes('--themes');
const themesFile = join(dir, 'themes.json');
// A product site's themes: the bench's pages (pricing, features, blog...) fall under some of them.
if (withThemes) writeFileSync(themesFile, JSON.stringify({ [SITE]: BENCH_THEMES }));
const config = loadConfig([], {
  PORT: '0',
  WAYMARK_HOST: '127.0.0.1',
  WAYMARK_DB: dbPath,
  WAYMARK_ADMIN_TOKEN: 'bench-admin-token-0123456789',
  // The shipped default (full) unless the operator running the bench asks to compare.
  WAYMARK_SYNC: process.env.WAYMARK_SYNC,
  ...(withThemes ? { WAYMARK_THEMES: themesFile, WAYMARK_MODEL_CACHE: join(PROJECT_ROOT, 'node_modules/.cache/waymark-themes') } : {}),
});
const errorLines: string[] = [];
const collector = await startCollector(config, {
  // Start-up lines would clutter the report; errors under load are the ones worth showing.
  log: (line) => {
    if (/error/i.test(line) && errorLines.length < 20) errorLines.push(line);
  },
});
const stats = createProcessStats();
// Wait for the model before the load starts, as a running server would have it.
if (withThemes) await collector.themes.ready;
console.log(`port ${collector.port}`);

answerRequests({
  rss: () => stats.rss(),
  stats: () => stats.sample(),
  close: async (): Promise<CollectorCloseReport> => {
    if (withThemes) await collector.themes.idle();
    await collector.close();
    return { dir, dbPath, sync: config.sync, errorLines };
  },
});


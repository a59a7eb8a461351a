/**
 * The full collector (validation, enrichment, group commit to SQLite) as the product starts it,
 * on a fresh SQLite file in a temporary folder. `close` commits and closes the file, and
 * answers with its path so bench/run.ts can count what was stored.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../collector/config.ts';
import { startCollector } from '../collector/server.ts';
import { answerRequests } from './child.ts';
import { createProcessStats } from './process-stats.ts';

export interface CollectorCloseReport {
  dir: string;
  dbPath: string;
  sync: string;
  errorLines: string[];
}

const dir = mkdtempSync(join(tmpdir(), 'waymark-bench-'));
const dbPath = join(dir, 'waymark.db');
const config = loadConfig([], {
  PORT: '0',
  WAYMARK_HOST: '127.0.0.1',
  WAYMARK_DB: dbPath,
  WAYMARK_ADMIN_TOKEN: 'bench-admin-token-0123456789',
  // The shipped default (full) unless the operator running the bench asks to compare.
  WAYMARK_SYNC: process.env.WAYMARK_SYNC,
});
const errorLines: string[] = [];
const collector = await startCollector(config, {
  // Start-up lines would clutter the report; errors under load are the ones worth showing.
  log: (line) => {
    if (/error/i.test(line) && errorLines.length < 20) errorLines.push(line);
  },
});
const stats = createProcessStats();
console.log(`port ${collector.port}`);

answerRequests({
  rss: () => stats.rss(),
  stats: () => stats.sample(),
  close: async (): Promise<CollectorCloseReport> => {
    await collector.close();
    return { dir, dbPath, sync: config.sync, errorLines };
  },
});

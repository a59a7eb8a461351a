import { type PurgeCounts, purgedNothing } from './store/retention.ts';
import type { EventWriter } from './writer.ts';

/** Hourly: a day's retention is kept to within an hour, and an idle purge costs one indexed read per site. */
export const RETENTION_INTERVAL_MS = 3_600_000;

export interface RetentionSchedule {
  /** Purges at once, on the writer thread, and resolves with what was removed. */
  purgeNow(): Promise<PurgeCounts>;
  stop(): void;
}

/**
 * Purges what has outlived retention once at start and then every hour. The purge runs on the
 * writer thread (collector/writer-thread.ts), which alone can delete sessions and forget the ones
 * it keeps in memory in the same breath; it always runs, since a site can have its own retention
 * without `WAYMARK_RETENTION_DAYS`.
 */
export function scheduleRetention({
  writer,
  defaultDays,
  now,
  log,
  intervalMs = RETENTION_INTERVAL_MS,
}: {
  writer: Pick<EventWriter, 'purgeExpired'>;
  defaultDays: number | null;
  now: () => number;
  log: (line: string) => void;
  intervalMs?: number;
}): RetentionSchedule {
  async function purgeNow() {
    const counts = await writer.purgeExpired(now(), defaultDays);
    if (!purgedNothing(counts)) log(`retention: ${describePurge(counts)}`);
    return counts;
  }
  // A failed purge is retried by the next one: what it committed stays committed, the rest waits an hour.
  const purgeInBackground = () => void purgeNow().catch((error: Error) => log(`retention: purge failed: ${error.message}`));
  purgeInBackground();
  const timer = setInterval(purgeInBackground, intervalMs);
  // The schedule alone must not keep the process alive.
  timer.unref();
  return { purgeNow, stop: () => clearInterval(timer) };
}

export function describePurge({ events, sessions, visitors, drops }: PurgeCounts): string {
  return `purged ${events} events, ${sessions} sessions, ${visitors} visitors and ${drops} daily drop counts past retention`;
}

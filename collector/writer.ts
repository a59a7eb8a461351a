import { Worker } from 'node:worker_threads';
import type { WriteBatch } from './enriched-event.ts';
import type { CrmRow, CrmWriteCounts } from './store/crm-traits.ts';
import type { ScoredPage } from './store/page-themes.ts';
import type { ErasureCounts, ErasureSubject } from './store/erasure.ts';
import type { WriteCounts } from './store/event-store.ts';
import { WriterClosedError } from './store/group-commit.ts';
import type { PurgeCounts } from './store/retention.ts';

export { WriterClosedError };

export interface WriterThreadOptions {
  dbPath: string;
  sync: 'full' | 'normal';
}

export type WriterRequest =
  | { type: 'write'; id: number; batch: WriteBatch }
  | { type: 'health'; id: number }
  // Erasure and retention delete rows the thread's hot sessions may point at: only the thread can do both at once.
  | { type: 'erase'; id: number; subject: ErasureSubject }
  | { type: 'purge'; id: number; now: number; defaultDays: number | null }
  // A batch of a CRM import: written here rather than on a second connection, which would wait on this one's locks.
  | { type: 'crm'; id: number; siteId: number; rows: readonly CrmRow[]; now: number }
  | { type: 'page-themes'; id: number; siteId: number; version: number; pages: readonly ScoredPage[] }
  | { type: 'recompute-interest'; id: number; siteId: number; version: number }
  | { type: 'close' };

export type WriterReply =
  | { type: 'ready' }
  | { type: 'start-failed'; message: string }
  | { type: 'written'; id: number; counts: WriteCounts }
  | { type: 'write-failed'; id: number; message: string; closed: boolean }
  | { type: 'health'; id: number; result: { ok: true } | { ok: false; error: string } }
  | { type: 'erased'; id: number; counts: ErasureCounts }
  | { type: 'purged'; id: number; counts: PurgeCounts }
  | { type: 'crm-written'; id: number; counts: CrmWriteCounts }
  | { type: 'page-themes-stored'; id: number; counts: { stored: number; stale: number } }
  | { type: 'interest-recomputed'; id: number; counts: { pageviews: number } }
  | { type: 'failed'; id: number; message: string }
  | { type: 'log'; message: string }
  | { type: 'closed' };

/** A request that expects an answer, before `ask` numbers it. */
type Question = WriterRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export interface EventWriter {
  /** Resolves once the batch (events, identify calls, engagement, drop counts) is committed to the file; only then may a request be acknowledged. */
  write(batch: WriteBatch): Promise<WriteCounts>;
  /** Whether the writer can commit right now: the check behind `GET /healthz`. */
  health(): Promise<{ ok: true } | { ok: false; error: string }>;
  /**
   * Deletes every row of the subject in one transaction, after the writes that reached the thread
   * before it and before any that come later, and forgets the hot sessions. All zero: no such visitor.
   */
  erase(subject: ErasureSubject): Promise<ErasureCounts>;
  /** Deletes what has outlived retention at `now`, in bounded transactions with group commits between them. */
  purgeExpired(now: number, defaultDays: number | null): Promise<PurgeCounts>;
  /**
   * Upserts one batch of a CRM import in its own transaction, after the writes that reached the thread
   * before it, so that people identified just before the import are matched. `now` is the import's time.
   */
  importCrm(siteId: number, rows: readonly CrmRow[], now: number): Promise<CrmWriteCounts>;
  /** Stores the scorer's results for pages of a site, unless their text or the site's themes changed meanwhile. */
  storePageThemes(siteId: number, version: number, pages: readonly ScoredPage[]): Promise<{ stored: number; stale: number }>;
  /** Computes the site's interest again from its raw events, in steps with group commits between them. */
  recomputeInterest(siteId: number, version: number): Promise<{ pageviews: number }>;
  /** Commits what was accepted, then refuses new writes and stops the thread. */
  close(): Promise<void>;
}

/**
 * Starts the writer thread (collector/writer-thread.ts) and speaks to it by messages, each an array
 * of requests (or of replies). Requests that reach the thread together share one transaction (group
 * commit); each promise settles when its transaction has committed or failed.
 */
export async function startWriterThread(options: WriterThreadOptions, log: (line: string) => void = () => {}): Promise<EventWriter> {
  const worker = import.meta.url.endsWith('.ts')
    ? new Worker(new URL('./typescript-worker.mjs', import.meta.url), {
        workerData: { entry: new URL('./writer-thread.ts', import.meta.url).href, options },
      })
    : new Worker(new URL('./writer-thread.js', import.meta.url), { workerData: { options } });

  const pending = new Map<number, { resolve: (value: any) => void; reject: (error: unknown) => void }>();
  let nextId = 1;
  let stopped: Error | null = null;
  let onClosed: (() => void) | null = null;

  const started = new Promise<void>((resolve, reject) => {
    const handle = (reply: WriterReply) => {
      switch (reply.type) {
        case 'ready':
          return resolve();
        case 'start-failed':
          return reject(new Error(reply.message));
        case 'log':
          return log(reply.message);
        case 'closed':
          return onClosed?.();
        default: {
          const waiting = pending.get(reply.id);
          pending.delete(reply.id);
          if (!waiting) return;
          if ('counts' in reply) waiting.resolve(reply.counts);
          else if (reply.type === 'health') waiting.resolve(reply.result);
          else if (reply.type === 'failed') waiting.reject(new Error(reply.message));
          else waiting.reject(reply.closed ? new WriterClosedError() : new Error(reply.message));
        }
      }
    };
    worker.on('message', (replies: WriterReply[]) => {
      for (const reply of replies) handle(reply);
    });
    // A thread that dies takes nothing acknowledged with it: what it had not committed was not answered 202.
    const fail = (error: Error) => {
      stopped ??= error;
      for (const waiting of pending.values()) waiting.reject(error);
      pending.clear();
      reject(error);
      onClosed?.();
    };
    worker.on('error', (error) => {
      log(`writer thread failed: ${error.message}`);
      fail(error);
    });
    worker.on('exit', (code) => {
      if (!stopped) log(`writer thread exited (code ${code}): events are refused with 503 until the collector restarts`);
      fail(new Error(`writer thread exited (code ${code})`));
    });
  });
  await started;

  // Requests made in one turn of the event loop cross to the thread as one message: a message has a
  // fixed cost on both sides (bench/: about a tenth of the HTTP thread's time at one per request),
  // and the thread commits them in one group anyway. One queue for every kind keeps them in order.
  let outbox: WriterRequest[] = [];
  function send(request: WriterRequest) {
    if (outbox.length === 0) setImmediate(flushOutbox);
    outbox.push(request);
  }
  function flushOutbox() {
    const batch = outbox;
    outbox = [];
    worker.postMessage(batch);
  }

  function ask<T>(request: Question): Promise<T> {
    if (stopped) return Promise.reject(stopped);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      send({ ...request, id } as WriterRequest);
    });
  }

  return {
    write: (batch) => ask<WriteCounts>({ type: 'write', batch }),
    health: () => ask({ type: 'health' }),
    erase: (subject) => ask<ErasureCounts>({ type: 'erase', subject }),
    purgeExpired: (now, defaultDays) => ask<PurgeCounts>({ type: 'purge', now, defaultDays }),
    importCrm: (siteId, rows, now) => ask<CrmWriteCounts>({ type: 'crm', siteId, rows, now }),
    storePageThemes: (siteId, version, pages) => ask({ type: 'page-themes', siteId, version, pages }),
    recomputeInterest: (siteId, version) => ask({ type: 'recompute-interest', siteId, version }),
    close() {
      if (stopped) return Promise.resolve();
      stopped = new WriterClosedError();
      return new Promise<void>((resolve) => {
        onClosed = resolve;
        send({ type: 'close' });
      });
    },
  };
}

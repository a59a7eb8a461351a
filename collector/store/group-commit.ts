import type { WriteBatch } from '../enriched-event.ts';
import type { Db } from './database.ts';
import type { EventStore, WriteCounts } from './event-store.ts';

export class WriterClosedError extends Error {
  constructor() {
    super('the collector is shutting down');
  }
}

interface PendingWrite {
  batch: WriteBatch;
  resolve: (counts: WriteCounts) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommit {
  /** Resolves once the batch is committed to the file; only then may a request be acknowledged. */
  write(batch: WriteBatch): Promise<WriteCounts>;
  /**
   * Commits the writes queued so far without waiting for the next turn of the event loop, so that
   * work done right after it (an erasure) is ordered after every write that arrived before it.
   */
  flush(): void;
  /** Commits what was accepted, then refuses new writes. */
  close(): Promise<void>;
  readonly pending: number;
}

/**
 * One writer with group commit: every request that arrives before the next turn of the
 * event loop shares one transaction, so an fsync is paid per group rather than per request.
 */
export function createGroupCommit({ db, store, onError = () => {} }: { db: Db; store: EventStore; onError?: (error: unknown) => void }): GroupCommit {
  let queue: PendingWrite[] = [];
  let scheduled = false;
  let closed = false;

  const commitGroup = db.transaction((group: PendingWrite[]) =>
    group.map((write) => {
      store.countDrops(write.batch.drops ?? []);
      return store.append(write.batch);
    }),
  );

  function flush() {
    scheduled = false;
    const group = queue;
    queue = [];
    if (group.length === 0) return;
    try {
      const counts = commitGroup(group);
      group.forEach((write, i) => write.resolve(counts[i]!));
    } catch (error) {
      store.forgetHotState();
      onError(error);
      // One bad write must not fail the others it happened to share a transaction with.
      if (group.length === 1) group[0]!.reject(error);
      else for (const write of group) commitAlone(write);
    }
  }

  function commitAlone(write: PendingWrite) {
    try {
      write.resolve(commitGroup([write])[0]!);
    } catch (error) {
      store.forgetHotState();
      write.reject(error);
    }
  }

  return {
    write(batch) {
      if (closed) return Promise.reject(new WriterClosedError());
      return new Promise<WriteCounts>((resolve, reject) => {
        queue.push({ batch, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
    flush,
    async close() {
      closed = true;
      flush();
    },
    get pending() {
      return queue.length;
    },
  };
}

// The writer thread: owns the SQLite write connection, the hot per-visitor sessions and the group
// commit, so that fsync and index updates never run on the thread that answers HTTP requests.
import { parentPort, workerData } from 'node:worker_threads';
import { writeCrmTraits } from './store/crm-traits.ts';
import { type Db, isWritable, openDatabase } from './store/database.ts';
import { erase, nothingErased } from './store/erasure.ts';
import { createEventStore } from './store/event-store.ts';
import { createGroupCommit, WriterClosedError } from './store/group-commit.ts';
import { createPageThemesWriter } from './store/page-themes.ts';
import { addPurgeCounts, noPurge, type PurgeCounts, purgeSteps } from './store/retention.ts';
import type { WriterReply, WriterRequest, WriterThreadOptions } from './writer.ts';

const port = parentPort!;
const { dbPath, sync } = (workerData as { options: WriterThreadOptions }).options;
// Replies made in one turn cross as one message, like the requests (collector/writer.ts).
let outbox: WriterReply[] = [];
function flushReplies() {
  const batch = outbox;
  outbox = [];
  if (batch.length > 0) port.postMessage(batch);
}
function reply(message: WriterReply) {
  if (outbox.length === 0) setImmediate(flushReplies);
  outbox.push(message);
}

function start() {
  let db: Db;
  try {
    db = openDatabase(dbPath, { synchronous: sync });
  } catch (error) {
    reply({ type: 'start-failed', message: (error as Error).message });
    return;
  }
  const store = createEventStore(db);
  const pageThemes = createPageThemesWriter(db, store.interest);
  const commits = createGroupCommit({ db, store, onError: (error) => reply({ type: 'log', message: `store error: ${(error as Error).message}` }) });
  let closing = false;
  // Long jobs (purges, interest recomputes) run one after another; never rejects, so 'close' can wait on it.
  let jobs: Promise<unknown> = Promise.resolve();

  // One step per turn of the event loop: the group commits of writes that arrive meanwhile run
  // between steps, so ingest waits for one bounded transaction at most, not for the whole job.
  function betweenCommits<T>(steps: Generator<T, void>, onStep: (step: T) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      const next = () => {
        try {
          // Every step committed on its own: a job cut short by a stop is continued by the next one.
          if (closing) {
            steps.return();
            return resolve();
          }
          const step = steps.next();
          if (step.done) return resolve();
          onStep(step.value);
          setImmediate(next);
        } catch (error) {
          reject(error);
        }
      };
      next();
    });
  }

  /** Queues a long job after the others and answers its request when it ends. */
  function queueJob<T>(id: number, run: () => Promise<T>, answer: (result: T) => WriterReply) {
    const job = jobs.then(run);
    jobs = job.catch(() => {});
    job.then(
      (result) => reply(answer(result)),
      (error: unknown) => reply({ type: 'failed', id, message: (error as Error).message }),
    );
  }

  function purgeBetweenCommits(now: number, defaultDays: number | null): Promise<PurgeCounts> {
    let total = noPurge();
    return betweenCommits(purgeSteps(db, now, defaultDays), (step) => {
      if (step.sessions > 0) store.forgetHotState();
      total = addPurgeCounts(total, step);
    }).then(() => total);
  }

  function recomputeBetweenCommits(siteId: number, version: number): Promise<{ pageviews: number }> {
    let pageviews = 0;
    return betweenCommits(store.interest.recomputeSteps(siteId, version), (step) => {
      pageviews += step;
    }).then(() => ({ pageviews }));
  }

  port.on('message', (requests: WriterRequest[]) => {
    for (const request of requests) handle(request);
  });

  function handle(request: WriterRequest) {
    if (request.type === 'write') {
      commits.write(request.batch).then(
        (counts) => reply({ type: 'written', id: request.id, counts }),
        (error: unknown) => reply({ type: 'write-failed', id: request.id, message: (error as Error).message, closed: error instanceof WriterClosedError }),
      );
    } else if (request.type === 'health') {
      reply({ type: 'health', id: request.id, result: isWritable(db) });
    } else if (request.type === 'erase') {
      try {
        // Writes that reached the thread before the erasure are committed first, so it erases them too.
        commits.flush();
        const counts = erase(db, request.subject);
        if (!nothingErased(counts)) store.forgetHotState();
        reply({ type: 'erased', id: request.id, counts });
      } catch (error) {
        reply({ type: 'failed', id: request.id, message: (error as Error).message });
      }
    } else if (request.type === 'crm') {
      try {
        // Identify calls that reached the thread first are committed first, so their people are matched.
        commits.flush();
        reply({ type: 'crm-written', id: request.id, counts: writeCrmTraits(db, request.siteId, request.rows, request.now) });
      } catch (error) {
        reply({ type: 'failed', id: request.id, message: (error as Error).message });
      }
    } else if (request.type === 'page-themes') {
      try {
        // The pageviews that reached the thread first are stored first, so those waiting for the page are counted.
        commits.flush();
        reply({ type: 'page-themes-stored', id: request.id, counts: pageThemes.store(request.siteId, request.version, request.pages) });
      } catch (error) {
        reply({ type: 'failed', id: request.id, message: (error as Error).message });
      }
    } else if (request.type === 'recompute-interest') {
      queueJob(request.id, () => recomputeBetweenCommits(request.siteId, request.version), (counts) => ({ type: 'interest-recomputed', id: request.id, counts }));
    } else if (request.type === 'purge') {
      queueJob(request.id, () => purgeBetweenCommits(request.now, request.defaultDays), (counts) => ({ type: 'purged', id: request.id, counts }));
    } else if (request.type === 'close') {
      closing = true;
      // Every write posted before 'close' has already arrived, so this commits all of them.
      void jobs
        .then(() => commits.close())
        .then(() => {
          db.close();
          reply({ type: 'closed' });
          flushReplies();
          port.close();
        });
    }
  }
  reply({ type: 'ready' });
}

start();

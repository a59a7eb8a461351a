// The writer thread: owns the SQLite write connection, the hot per-visitor sessions and the group
// commit, so that fsync and index updates never run on the thread that answers HTTP requests.
import { parentPort, workerData } from 'node:worker_threads';
import { isWritable, openDatabase } from './store/database.ts';
import { createEventStore } from './store/event-store.ts';
import { createGroupCommit, WriterClosedError } from './store/group-commit.ts';
import type { WriterReply, WriterRequest, WriterThreadOptions } from './writer.ts';

const port = parentPort!;
const { dbPath, sync } = (workerData as { options: WriterThreadOptions }).options;
const reply = (message: WriterReply) => port.postMessage(message);

function start() {
  let db;
  try {
    db = openDatabase(dbPath, { synchronous: sync });
  } catch (error) {
    reply({ type: 'start-failed', message: (error as Error).message });
    return;
  }
  const store = createEventStore(db);
  const commits = createGroupCommit({ db, store, onError: (error) => reply({ type: 'log', message: `store error: ${(error as Error).message}` }) });

  port.on('message', (request: WriterRequest) => {
    if (request.type === 'write') {
      commits.write(request.events, request.drops).then(
        (counts) => reply({ type: 'written', id: request.id, counts }),
        (error: unknown) => reply({ type: 'write-failed', id: request.id, message: (error as Error).message, closed: error instanceof WriterClosedError }),
      );
    } else if (request.type === 'health') {
      reply({ type: 'health', id: request.id, result: isWritable(db) });
    } else if (request.type === 'close') {
      // Every write posted before 'close' has already arrived, so this commits all of them.
      void commits.close().then(() => {
        db.close();
        reply({ type: 'closed' });
        port.close();
      });
    }
  });
  reply({ type: 'ready' });
}

start();

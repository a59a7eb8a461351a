// Runs a TypeScript worker entry when the collector itself runs from source (tsx, vitest);
// the built collector starts dist/writer-thread.js directly and never loads this file.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);

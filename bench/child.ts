import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The project root, so children resolve `dist/` and `tsconfig.json` as `npm run bench` does. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

interface Envelope {
  id: number;
  kind: string;
  body?: unknown;
}

interface Reply {
  id: number;
  ok: boolean;
  body?: unknown;
  error?: string;
}

export interface BenchChild {
  readonly name: string;
  readonly pid: number;
  /** Sends one request over IPC and resolves with the child's answer. */
  request<T>(kind: string, body?: unknown): Promise<T>;
  /** Resolves with the first stdout line matching `pattern` (its first capture group). */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code once the process is gone. */
  readonly exited: Promise<number | null>;
  /** Closes the IPC channel, on which the child exits by itself; killed if it has not after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  kill(): void;
}

/**
 * Starts a TypeScript file in its own Node process (own event loop, own core when one is free),
 * with an IPC channel for requests and stdout for the few lines it announces.
 */
export function spawnTsChild(name: string, script: string, { nodeArgs = [] as string[], args = [] as string[] } = {}): BenchChild {
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script, ...args], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (body: unknown) => void; reject: (error: Error) => void }>();
  const lineWaiters: { pattern: RegExp; resolve: (value: string) => void }[] = [];

  child.on('message', (message: Reply) => {
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.ok) waiter.resolve(message.body);
    else waiter.reject(new Error(`${name}: ${message.error}`));
  });

  createInterface({ input: child.stdout! }).on('line', (line) => {
    const index = lineWaiters.findIndex((w) => w.pattern.test(line));
    if (index === -1) {
      // Anything a child prints that nobody waits for is kept visible, but off the report's stdout.
      process.stderr.write(`[${name}] ${line}\n`);
      return;
    }
    const [waiter] = lineWaiters.splice(index, 1);
    waiter!.resolve(waiter!.pattern.exec(line)?.[1] ?? line);
  });

  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      for (const waiter of pending.values()) waiter.reject(new Error(`${name} exited (code ${code}) before answering`));
      pending.clear();
      resolve(code);
    });
  });

  return {
    name,
    pid: child.pid!,
    request<T>(kind: string, body?: unknown) {
      return new Promise<T>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve: resolve as (body: unknown) => void, reject });
        child.send({ id, kind, body } satisfies Envelope, (error) => {
          if (!error) return;
          pending.delete(id);
          reject(error);
        });
      });
    },
    waitForLine(pattern, timeoutMs = 30_000) {
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name}: no line matching ${pattern} after ${timeoutMs} ms`)), timeoutMs);
        const waiter = {
          pattern,
          resolve: (value: string) => {
            clearTimeout(timer);
            resolve(value);
          },
        };
        lineWaiters.push(waiter);
        void exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`${name} exited (code ${code}) before printing ${pattern}`));
        });
      });
    },
    exited,
    async stop(graceMs = 5_000) {
      if (child.connected) child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

export type RequestHandlers = Record<string, (body: any) => unknown>;

/** The child's side of `request`: one handler per kind; a thrown error is sent back as the answer. */
export function answerRequests(handlers: RequestHandlers): void {
  if (!process.send) throw new Error('this script is started by bench/run.ts, with an IPC channel');
  process.on('message', async (message: Envelope) => {
    let reply: Reply;
    try {
      // A built-in 'ping' lets the parent wait until the child has loaded, so start-up is not measured.
      const handler = message.kind === 'ping' ? () => 'pong' : handlers[message.kind];
      if (!handler) throw new Error(`no handler for "${message.kind}"`);
      reply = { id: message.id, ok: true, body: await handler(message.body) };
    } catch (error) {
      reply = { id: message.id, ok: false, error: (error as Error).stack ?? String(error) };
    }
    process.send!(reply);
  });
  // An orphan would keep its port and its CPU after the run crashed.
  process.on('disconnect', () => process.exit(0));
}

import { fileURLToPath } from 'node:url';
import { type BenchChild, spawnTsChild } from './child.ts';
import type { CollectorCloseReport } from './collector-process.ts';
import type { ProcessStats } from './process-stats.ts';

export type ServerKind = 'do-nothing' | 'collector';

const SCRIPTS: Record<ServerKind, string> = {
  'do-nothing': fileURLToPath(new URL('./do-nothing-server.ts', import.meta.url)),
  collector: fileURLToPath(new URL('./collector-process.ts', import.meta.url)),
};

export interface ServerProcess<Close> {
  kind: ServerKind;
  port: number;
  rss(): Promise<number>;
  stats(): Promise<ProcessStats>;
  /** Stops the server (the collector commits first) and waits for the process to exit. */
  close(): Promise<Close>;
  kill(): void;
}

async function startServerProcess<Close>(kind: ServerKind, args: string[] = []): Promise<ServerProcess<Close>> {
  // BENCH_CPU_PROF=/some/dir writes a V8 CPU profile of the collector there when it exits
  // (NODE_OPTIONS refuses --cpu-prof, so it has to be passed here).
  const profileDir = kind === 'collector' ? process.env.BENCH_CPU_PROF : undefined;
  const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child: BenchChild = spawnTsChild(kind, SCRIPTS[kind], { nodeArgs, args });
  try {
    const port = Number(await child.waitForLine(/^port (\d+)$/));
    return {
      kind,
      port,
      rss: () => child.request<number>('rss'),
      stats: () => child.request<ProcessStats>('stats'),
      async close() {
        const report = await child.request<Close>('close');
        await child.stop();
        return report;
      },
      kill: () => child.kill(),
    };
  } catch (error) {
    child.kill();
    throw error;
  }
}

export const startDoNothingServer = () => startServerProcess<Record<string, never>>('do-nothing');
/** `themes`: the bench site gets themes, so every pageview also keeps page texts and interest current. */
export const startCollectorServer = ({ themes = false } = {}) => startServerProcess<CollectorCloseReport>('collector', themes ? ['--themes'] : []);

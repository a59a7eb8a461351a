import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { spawnTsChild } from './child.ts';
import type { LoadPlan, LoadResult } from './load-generator.ts';
import { readPressure } from './machine-pressure.ts';
import { int, mib, ms, type PhaseResult } from './report.ts';
import type { RssMonitor } from './rss-monitor.ts';
import type { ServerProcess } from './servers.ts';

const LOAD_GENERATOR = fileURLToPath(new URL('./load-generator.ts', import.meta.url));

/**
 * One measured run against one server: a fresh load-generator process (so no connection or
 * JIT state carries over from the previous run), with the server's own counters read before
 * and after so its cost can be set beside its throughput.
 */
export async function runPhase(name: string, serverName: string, server: ServerProcess<unknown>, plan: LoadPlan, rss: RssMonitor): Promise<PhaseResult> {
  const generator = spawnTsChild('load-generator', LOAD_GENERATOR);
  try {
    await generator.request('ping');
    const before = await server.stats();
    const pressureBefore = readPressure();
    const wallBefore = performance.now();
    rss.startPhase(serverName);
    const load = await generator.request<LoadResult>('run', plan);
    const wallMs = performance.now() - wallBefore;
    const pressureAfter = readPressure();
    const after = await server.stats();
    const peak = Math.max(rss.endPhase(), after.rss);
    const cpuMicros = after.cpuMicros - before.cpuMicros;
    const share = (partMs: number) => (partMs / wallMs) * 100;
    process.stderr.write(`  ${name}: ${int(load.requestsPerSecond)} req/s, p99 ${ms(load.latency.p99)} ms\n`);
    return {
      name,
      eventsPerRequest: plan.eventsPerRequest,
      load,
      serverCpuMicrosPerEvent: cpuMicros / Math.max(1, load.requests * plan.eventsPerRequest),
      serverCpuPercent: share(cpuMicros / 1000),
      loopDelayP99Ms: after.loopDelayP99Ms,
      loopDelayMaxMs: after.loopDelayMaxMs,
      peakRssMiB: mib(peak),
      diskWriteKiBPerEvent:
        before.diskWriteBytes === null || after.diskWriteBytes === null
          ? null
          : (after.diskWriteBytes - before.diskWriteBytes) / 1024 / Math.max(1, load.requests * plan.eventsPerRequest),
      mainThread:
        before.mainThread && after.mainThread
          ? {
              onCpuPercent: share(after.mainThread.onCpuMs - before.mainThread.onCpuMs),
              runQueuePercent: share(after.mainThread.runQueueMs - before.mainThread.runQueueMs),
              offCpuPercent: share(
                wallMs - (after.mainThread.onCpuMs - before.mainThread.onCpuMs) - (after.mainThread.runQueueMs - before.mainThread.runQueueMs),
              ),
            }
          : null,
      machine:
        pressureBefore && pressureAfter
          ? {
              cpuPressurePercent: share((pressureAfter.cpuMicros - pressureBefore.cpuMicros) / 1000),
              ioPressurePercent: share((pressureAfter.ioMicros - pressureBefore.ioMicros) / 1000),
            }
          : null,
    };
  } finally {
    await generator.stop();
  }
}

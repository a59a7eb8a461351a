import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface ProcessStats {
  rss: number;
  /** process.cpuUsage(), user + system, in µs since the process started. */
  cpuMicros: number;
  /** Event-loop delay since the previous call: how long a ready request may wait for the thread. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

/** What a server child reports about itself: memory, CPU spent and how blocked its event loop was. */
export function createProcessStats() {
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  return {
    rss: () => process.memoryUsage.rss(),
    /** Reads and restarts the event-loop delay histogram, so each phase sees its own. */
    sample(): ProcessStats {
      const { user, system } = process.cpuUsage();
      const stats = {
        rss: process.memoryUsage.rss(),
        cpuMicros: user + system,
        loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
        loopDelayMaxMs: loopDelay.max / 1e6,
      };
      loopDelay.reset();
      return stats;
    },
  };
}

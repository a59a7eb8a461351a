import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface ProcessStats {
  rss: number;
  /** process.cpuUsage(), user + system, in µs since the process started: all threads. */
  cpuMicros: number;
  /**
   * The JavaScript thread's time on a CPU and runnable but waiting for one, in ms (Linux
   * schedstat; null elsewhere). Whatever is left of the wall time it was blocked (an fsync
   * inside a SQLite commit) or idle.
   */
  mainThread: { onCpuMs: number; runQueueMs: number } | null;
  /** Bytes the process sent toward the disk (Linux /proc/self/io write_bytes; null elsewhere): WAL frames and checkpoints. */
  diskWriteBytes: number | null;
  /** Event-loop delay since the previous call: how long a ready request may wait for the thread. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

function mainThreadSchedule(): ProcessStats['mainThread'] {
  try {
    // thread-self, not self: the event loop's thread, without libuv's pool or V8's helpers.
    const [onCpuNs, runQueueNs] = readFileSync('/proc/thread-self/schedstat', 'utf8').trim().split(/\s+/).map(Number);
    return { onCpuMs: onCpuNs! / 1e6, runQueueMs: runQueueNs! / 1e6 };
  } catch {
    return null;
  }
}

function diskWriteBytes(): number | null {
  try {
    const match = /^write_bytes: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
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
        mainThread: mainThreadSchedule(),
        diskWriteBytes: diskWriteBytes(),
        loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
        loopDelayMaxMs: loopDelay.max / 1e6,
      };
      loopDelay.reset();
      return stats;
    },
  };
}

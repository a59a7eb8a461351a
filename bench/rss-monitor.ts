import type { ServerProcess } from './servers.ts';

/** Samples each server's RSS on a timer; the peak per phase and overall is what is reported. */
export function startRssMonitor(servers: Record<string, ServerProcess<unknown>>, intervalMs: number) {
  const peaks: Record<string, number> = {};
  let phasePeak = 0;
  let phaseServer: string | null = null;
  let samples = 0;
  const timer = setInterval(() => {
    for (const [name, server] of Object.entries(servers)) {
      server
        .rss()
        .then((rss) => {
          samples++;
          peaks[name] = Math.max(peaks[name] ?? 0, rss);
          if (name === phaseServer) phasePeak = Math.max(phasePeak, rss);
        })
        // A server that is closing no longer answers; its last samples stand.
        .catch(() => {});
    }
  }, intervalMs);
  return {
    startPhase(name: string) {
      phaseServer = name;
      phasePeak = 0;
    },
    endPhase() {
      phaseServer = null;
      return phasePeak;
    },
    peaks,
    samples: () => samples,
    stop: () => clearInterval(timer),
  };
}

export type RssMonitor = ReturnType<typeof startRssMonitor>;

/**
 * `npm run bench`: the ingest path measured against a do-nothing Hono server in the same run,
 * so the ratio holds on a noisy machine, plus the tracker's gzipped size and a check that
 * every acknowledged event was stored. It prints numbers and PASS/MISS lines; it never fails
 * on a timing, since a shared 2-core machine cannot promise one.
 *
 * BENCH_SECONDS (default 8) and BENCH_CONNECTIONS (default 64) shorten or widen a run;
 * WAYMARK_SYNC=normal measures the collector without an fsync per commit.
 */
import { readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { PROJECT_ROOT, spawnTsChild } from './child.ts';
import type { LoadPlan, LoadResult } from './load-generator.ts';
import { readPressure } from './machine-pressure.ts';
import { costTable, int, machineTable, mib, ms, type PhaseResult, type Target, targetLines, throughputTable } from './report.ts';
import { type ServerProcess, startCollectorServer, startDoNothingServer } from './servers.ts';
import { VISITORS } from './traffic.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const WARMUP_SECONDS = 2;
// Enough sockets that a stalled server makes open-loop requests queue in the server, not in the client.
const OPEN_LOOP_SOCKETS = 256;
const BATCH_SIZE = 10;
const RSS_SAMPLE_MS = 500;

const TARGET_RATIO = 0.4;
const TARGET_OPEN_P99_MS = 50;
const TARGET_TRACKER_GZIP_BYTES = 1500;

const LOAD_GENERATOR = fileURLToPath(new URL('./load-generator.ts', import.meta.url));

/** Samples each server's RSS on a timer; the peak per phase and overall is what is reported. */
function startRssMonitor(servers: Record<string, ServerProcess<unknown>>) {
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
  }, RSS_SAMPLE_MS);
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

type RssMonitor = ReturnType<typeof startRssMonitor>;

async function runPhase(name: string, serverName: string, server: ServerProcess<unknown>, plan: LoadPlan, rss: RssMonitor): Promise<PhaseResult> {
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

function closedLoop(port: number, eventsPerRequest: number, visitorCursor: number): LoadPlan {
  return { port, mode: 'closed', connections: CONNECTIONS, warmupSeconds: WARMUP_SECONDS, seconds: SECONDS, eventsPerRequest, visitorCursor };
}

function countStored(dbPath: string) {
  const db = new Database(dbPath, { readonly: true });
  try {
    const one = (sql: string) => db.prepare(sql).pluck().get() as number;
    return {
      events: one('SELECT count(*) FROM events'),
      sessions: one('SELECT count(*) FROM sessions'),
      visitors: one('SELECT count(*) FROM visitors'),
      visitorPageviews: one('SELECT coalesce(sum(pageviews), 0) FROM visitors'),
      pageviews: one("SELECT count(*) FROM events WHERE type = 'pageview'"),
    };
  } finally {
    db.close();
  }
}

async function main() {
  const startedAt = performance.now();
  const tracker = readFileSync(join(PROJECT_ROOT, 'dist/w.js'));
  // Level 9 is what a static server or CDN serving a pre-compressed file would use.
  const trackerGzipBytes = gzipSync(tracker, { level: 9 }).length;

  process.stderr.write('starting the do-nothing server and the collector...\n');
  const [baseline, collector] = await Promise.all([startDoNothingServer(), startCollectorServer()]);
  const idleCollectorRss = await collector.rss();
  const rss = startRssMonitor({ baseline, collector } as Record<string, ServerProcess<unknown>>);
  const phases: PhaseResult[] = [];
  let closeReport;
  try {
    // Interleaving is not needed: each server is idle while the other is measured, and the
    // generator is a fresh process each time.
    const bare = await runPhase('do-nothing Hono', 'baseline', baseline, closedLoop(baseline.port, 1, 0), rss);
    phases.push(bare);
    const single = await runPhase('pipeline, 1 event/request', 'collector', collector, closedLoop(collector.port, 1, 0), rss);
    phases.push(single);
    const batched = await runPhase(
      `pipeline, ${BATCH_SIZE} events/request`,
      'collector',
      collector,
      closedLoop(collector.port, BATCH_SIZE, single.load.visitorCursor),
      rss,
    );
    phases.push(batched);
    const openRate = Math.max(1, Math.round(single.load.requestsPerSecond / 2));
    const open = await runPhase(
      `pipeline, open loop ${int(openRate)} req/s`,
      'collector',
      collector,
      {
        port: collector.port,
        mode: 'open',
        connections: OPEN_LOOP_SOCKETS,
        rate: openRate,
        warmupSeconds: 1,
        seconds: SECONDS,
        eventsPerRequest: 1,
        visitorCursor: batched.load.visitorCursor,
      },
      rss,
    );
    phases.push(open);
  } finally {
    rss.stop();
    closeReport = await collector.close().catch((error: Error) => {
      collector.kill();
      throw error;
    });
    await baseline.close().catch(() => baseline.kill());
  }

  const stored = countStored(closeReport.dbPath);
  rmSync(closeReport.dir, { recursive: true, force: true });

  const [bare, single, batched, open] = phases as [PhaseResult, PhaseResult, PhaseResult, PhaseResult];
  const collectorRuns = [single, batched, open];
  const accepted202 = collectorRuns.reduce((sum, p) => sum + (p.load.statuses['202'] ?? 0), 0);
  const acknowledgedEvents = collectorRuns.reduce((sum, p) => sum + p.load.acceptedEvents - p.load.duplicateEvents, 0);
  const droppedEvents = collectorRuns.reduce((sum, p) => sum + p.load.droppedEvents, 0);
  const ratio = single.load.requestsPerSecond / bare.load.requestsPerSecond;

  const targets: Target[] = [
    {
      name: `pipeline req/s ÷ do-nothing req/s ≥ ${TARGET_RATIO.toFixed(2)}`,
      pass: ratio >= TARGET_RATIO,
      detail: `${ratio.toFixed(2)} (${int(single.load.requestsPerSecond)} ÷ ${int(bare.load.requestsPerSecond)})`,
    },
    {
      name: `open-loop p99 at half max < ${TARGET_OPEN_P99_MS} ms`,
      pass: open.load.latency.p99 < TARGET_OPEN_P99_MS,
      detail: `${ms(open.load.latency.p99)} ms at ${int(open.load.requestsPerSecond)} req/s (p50 ${ms(open.load.latency.p50)} ms)`,
    },
    {
      name: `dist/w.js gzipped < ${int(TARGET_TRACKER_GZIP_BYTES)} bytes`,
      pass: trackerGzipBytes < TARGET_TRACKER_GZIP_BYTES,
      detail: `${int(trackerGzipBytes)} bytes (${int(tracker.length)} raw)`,
    },
    {
      name: 'events stored = events acknowledged with 202',
      pass: stored.events === acknowledgedEvents && droppedEvents === 0,
      detail: `${int(stored.events)} rows, ${int(acknowledgedEvents)} acknowledged${droppedEvents ? `, ${int(droppedEvents)} dropped as bots` : ''}`,
    },
  ];

  const out = [
    '',
    `Waymark ingest benchmark — Node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(1)} at the end, SQLite synchronous=${closeReport.sync}`,
    `closed loop: ${CONNECTIONS} keep-alive connections, ${WARMUP_SECONDS} s warm-up + ${SECONDS} s measured; ` +
      `${int(VISITORS)} visitors in rotation; load generator in its own process`,
    `open loop: latency from each request's scheduled send time (no coordinated omission), max send lag ${ms(open.load.maxSendLagMs)} ms`,
    '',
    throughputTable(phases),
    '',
    'where the server\'s time went (CPU over all its threads; the JS thread split by the Linux scheduler):',
    costTable(phases),
    '',
    'the machine: a busy neighbour or a generator near 100% of a core squeezes the numbers above',
    machineTable(phases),
    '',
    `tracker     dist/w.js ${int(tracker.length)} bytes, ${int(trackerGzipBytes)} gzipped (level 9)`,
    `memory      collector RSS ${int(mib(idleCollectorRss))} MiB idle, peak ${int(mib(rss.peaks.collector ?? 0))} MiB under load; ` +
      `do-nothing peak ${int(mib(rss.peaks.baseline ?? 0))} MiB (${int(rss.samples())} samples, every ${RSS_SAMPLE_MS} ms)`,
    `stored      ${int(accepted202)} answers 202 carrying ${int(acknowledgedEvents)} events; events table ${int(stored.events)} rows ` +
      `(${int(stored.pageviews)} pageviews), sessions ${int(stored.sessions)}, visitors ${int(stored.visitors)} holding ${int(stored.visitorPageviews)} pageviews`,
    ...(closeReport.errorLines.length > 0 ? ['collector errors:', ...closeReport.errorLines.map((line) => `  ${line}`)] : []),
    '',
    targetLines(targets),
    '',
    `total ${((performance.now() - startedAt) / 1000).toFixed(1)} s`,
  ];
  console.log(out.join('\n'));
}

await main();

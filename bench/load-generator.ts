/**
 * The load generator, run by bench/run.ts in its own process so its HTTP client work does
 * not share the measured server's event loop. One IPC request `run` with a LoadPlan; the
 * answer is a LoadResult.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { answerRequests } from './child.ts';
import { type LatencySummary, LatencyRecorder } from './latency.ts';
import { visit, visitorIds } from './traffic.ts';

export interface LoadPlan {
  port: number;
  /**
   * closed: `connections` clients each send, wait for the answer, send again (max throughput).
   * open: requests leave on a fixed schedule of `rate` per second whatever the answers do.
   */
  mode: 'closed' | 'open';
  connections: number;
  rate?: number;
  warmupSeconds: number;
  seconds: number;
  eventsPerRequest: number;
  /** Where in the visitor rotation to start, so successive runs keep cycling rather than restart. */
  visitorCursor: number;
}

export interface LoadResult {
  /** Requests answered inside the measured window, per second. */
  requestsPerSecond: number;
  eventsPerSecond: number;
  latency: LatencySummary;
  /** Over the whole run, warm-up included, since every request may have stored rows. */
  requests: number;
  statuses: Record<string, number>;
  /** Socket errors and timeouts: requests with no answer. */
  failures: number;
  acceptedEvents: number;
  duplicateEvents: number;
  droppedEvents: number;
  visitorCursor: number;
  /** Share of one core the generator used; near 100% it, not the server, may set the pace. */
  generatorCpuPercent: number;
  /** Open loop only: how late the generator sent its most late request. */
  maxSendLagMs: number;
}

const REQUEST_TIMEOUT_MS = 15_000;

interface Answer {
  status: number;
  body: string;
}

function createClient(plan: LoadPlan) {
  // Keep-alive, as browsers reuse connections; one socket per closed-loop client.
  const agent = new Agent({ keepAlive: true, maxSockets: plan.connections, maxFreeSockets: plan.connections });
  const ids = visitorIds();
  let cursor = plan.visitorCursor;
  const tally = { requests: 0, statuses: {} as Record<string, number>, failures: 0, accepted: 0, duplicates: 0, dropped: 0 };

  function post(): Promise<Answer | null> {
    const { userAgent, body } = visit(ids, cursor++, plan.eventsPerRequest);
    return new Promise((resolve) => {
      const req = request(
        {
          agent,
          host: '127.0.0.1',
          port: plan.port,
          method: 'POST',
          path: '/e',
          // text/plain is what sendBeacon sends, so it is the common case to measure.
          headers: { 'Content-Type': 'text/plain;charset=UTF-8', 'User-Agent': userAgent, 'Content-Length': Buffer.byteLength(body) },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          res.on('error', () => resolve(null));
        },
      );
      req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error('timeout')));
      req.on('error', () => resolve(null));
      req.end(body);
    });
  }

  function count(answer: Answer | null) {
    tally.requests++;
    if (!answer) {
      tally.failures++;
      return;
    }
    tally.statuses[answer.status] = (tally.statuses[answer.status] ?? 0) + 1;
    if (answer.status < 200 || answer.status > 299) return;
    try {
      const json = JSON.parse(answer.body) as { accepted?: number; duplicates?: number; dropped?: number };
      tally.accepted += json.accepted ?? 0;
      tally.duplicates += json.duplicates ?? 0;
      tally.dropped += json.dropped ?? 0;
    } catch {
      // The do-nothing server's answers are JSON too; a garbled one is visible as accepted < requests.
    }
  }

  return { post, count, tally, agent, cursor: () => cursor };
}

async function closedLoop(plan: LoadPlan, client: ReturnType<typeof createClient>, recorder: LatencyRecorder) {
  const startedAt = performance.now();
  const measureFrom = startedAt + plan.warmupSeconds * 1000;
  const stopAt = measureFrom + plan.seconds * 1000;
  let answeredInWindow = 0;
  async function connection() {
    while (performance.now() < stopAt) {
      const sentAt = performance.now();
      const answer = await client.post();
      const doneAt = performance.now();
      client.count(answer);
      if (doneAt >= measureFrom && doneAt <= stopAt) answeredInWindow++;
      if (sentAt >= measureFrom && answer) recorder.record(doneAt - sentAt);
    }
  }
  await Promise.all(Array.from({ length: plan.connections }, connection));
  return { answeredInWindow, maxSendLagMs: 0 };
}

async function openLoop(plan: LoadPlan, client: ReturnType<typeof createClient>, recorder: LatencyRecorder) {
  const rate = plan.rate!;
  const intervalMs = 1000 / rate;
  const total = Math.floor((plan.warmupSeconds + plan.seconds) * rate);
  const startedAt = performance.now() + 5;
  const measureFrom = startedAt + plan.warmupSeconds * 1000;
  const stopAt = measureFrom + plan.seconds * 1000;
  let answeredInWindow = 0;
  let maxSendLagMs = 0;
  const inFlight = new Set<Promise<void>>();

  function send(scheduledAt: number) {
    const flight = client.post().then((answer) => {
      const doneAt = performance.now();
      client.count(answer);
      if (doneAt >= measureFrom && doneAt <= stopAt) answeredInWindow++;
      // From the scheduled time, not the send: a server that stalls the client is charged for
      // the requests it kept from leaving (no coordinated omission).
      if (scheduledAt >= measureFrom && answer) recorder.record(doneAt - scheduledAt);
      inFlight.delete(flight);
    });
    inFlight.add(flight);
  }

  await new Promise<void>((resolve) => {
    let next = 0;
    function tick() {
      const now = performance.now();
      while (next < total && startedAt + next * intervalMs <= now) {
        const scheduledAt = startedAt + next * intervalMs;
        maxSendLagMs = Math.max(maxSendLagMs, now - scheduledAt);
        send(scheduledAt);
        next++;
      }
      if (next >= total) return resolve();
      setTimeout(tick, Math.max(0, startedAt + next * intervalMs - performance.now()));
    }
    tick();
  });
  while (inFlight.size > 0) await Promise.all([...inFlight]);
  return { answeredInWindow, maxSendLagMs };
}

async function run(plan: LoadPlan): Promise<LoadResult> {
  const client = createClient(plan);
  const recorder = new LatencyRecorder();
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const { answeredInWindow, maxSendLagMs } =
    plan.mode === 'closed' ? await closedLoop(plan, client, recorder) : await openLoop(plan, client, recorder);
  const cpu = process.cpuUsage(cpuBefore);
  const wallMs = performance.now() - wallBefore;
  client.agent.destroy();
  const requestsPerSecond = answeredInWindow / plan.seconds;
  return {
    requestsPerSecond,
    eventsPerSecond: requestsPerSecond * plan.eventsPerRequest,
    latency: recorder.summary(),
    requests: client.tally.requests,
    statuses: client.tally.statuses,
    failures: client.tally.failures,
    acceptedEvents: client.tally.accepted,
    duplicateEvents: client.tally.duplicates,
    droppedEvents: client.tally.dropped,
    visitorCursor: client.cursor(),
    generatorCpuPercent: ((cpu.user + cpu.system) / 1000 / wallMs) * 100,
    maxSendLagMs,
  };
}

answerRequests({ run });

import type { LoadResult } from './load-generator.ts';

export interface PhaseResult {
  name: string;
  eventsPerRequest: number;
  load: LoadResult;
  /** Server CPU (user + system) per event, over the whole phase, warm-up included. */
  serverCpuMicrosPerEvent: number;
  /** Share of one core the server used during the phase. */
  serverCpuPercent: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  peakRssMiB: number;
}

export interface Target {
  name: string;
  pass: boolean;
  detail: string;
}

export const int = (value: number) => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '-');
export const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(value < 10 ? 2 : 1) : '-');
export const mib = (bytes: number) => bytes / 2 ** 20;

function nonSuccess(load: LoadResult): number {
  let count = load.failures;
  for (const [status, n] of Object.entries(load.statuses)) if (!status.startsWith('2')) count += n;
  return count;
}

/** Fixed-width columns, first one left-aligned, the numbers right-aligned. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function throughputTable(phases: PhaseResult[]): string {
  return table(
    ['run', 'req/s', 'events/s', 'p50 ms', 'p99 ms', 'max ms', 'requests', 'non-2xx'],
    phases.map(({ name, load }) => [
      name,
      int(load.requestsPerSecond),
      int(load.eventsPerSecond),
      ms(load.latency.p50),
      ms(load.latency.p99),
      ms(load.latency.max),
      int(load.requests),
      int(nonSuccess(load)),
    ]),
  );
}

export function costTable(phases: PhaseResult[]): string {
  return table(
    ['run', 'server CPU µs/event', 'server CPU %', 'loop delay p99 ms', 'loop delay max ms', 'peak RSS MiB', 'generator CPU %'],
    phases.map((phase) => [
      phase.name,
      int(phase.serverCpuMicrosPerEvent),
      int(phase.serverCpuPercent),
      ms(phase.loopDelayP99Ms),
      ms(phase.loopDelayMaxMs),
      int(phase.peakRssMiB),
      int(phase.load.generatorCpuPercent),
    ]),
  );
}

export function targetLines(targets: Target[]): string {
  const width = Math.max(...targets.map((t) => t.name.length));
  return targets.map((t) => `${t.pass ? 'PASS' : 'MISS'}  ${t.name.padEnd(width)}  ${t.detail}`).join('\n');
}

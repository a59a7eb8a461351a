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
  diskWriteKiBPerEvent: number | null;
  /** The server's JavaScript thread, as shares of the phase's wall time (null off Linux). */
  mainThread: { onCpuPercent: number; runQueuePercent: number; offCpuPercent: number } | null;
  /** Share of the phase during which some task on the machine waited for a CPU, or for I/O. */
  machine: { cpuPressurePercent: number; ioPressurePercent: number } | null;
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

const percent = (value: number | undefined) => (value === undefined || !Number.isFinite(value) ? '-' : Math.round(value).toString());

export function costTable(phases: PhaseResult[]): string {
  return table(
    ['run', 'CPU µs/event', 'CPU %', 'JS thread: on CPU %', 'waiting for CPU %', 'blocked/idle %', 'loop delay p99/max ms', 'disk KiB/event', 'peak RSS MiB'],
    phases.map((phase) => [
      phase.name,
      int(phase.serverCpuMicrosPerEvent),
      percent(phase.serverCpuPercent),
      percent(phase.mainThread?.onCpuPercent),
      percent(phase.mainThread?.runQueuePercent),
      percent(phase.mainThread?.offCpuPercent),
      `${ms(phase.loopDelayP99Ms)} / ${ms(phase.loopDelayMaxMs)}`,
      phase.diskWriteKiBPerEvent === null ? '-' : phase.diskWriteKiBPerEvent.toFixed(1),
      int(phase.peakRssMiB),
    ]),
  );
}

export function machineTable(phases: PhaseResult[]): string {
  return table(
    ['run', 'generator CPU %', 'machine CPU pressure %', 'machine I/O pressure %'],
    phases.map((phase) => [
      phase.name,
      percent(phase.load.generatorCpuPercent),
      percent(phase.machine?.cpuPressurePercent),
      percent(phase.machine?.ioPressurePercent),
    ]),
  );
}

export function targetLines(targets: Target[]): string {
  const width = Math.max(...targets.map((t) => t.name.length));
  return targets.map((t) => `${t.pass ? 'PASS' : 'MISS'}  ${t.name.padEnd(width)}  ${t.detail}`).join('\n');
}

import { readFileSync } from 'node:fs';

/**
 * Linux pressure stall information: the share of wall time during which at least one task
 * waited for a CPU (or for I/O). The bench shares its 2 cores with whatever else runs; this
 * says how much a phase's numbers were squeezed by it. Null where /proc/pressure is absent.
 */
export interface PressureTotals {
  cpuMicros: number;
  ioMicros: number;
}

function someTotal(resource: 'cpu' | 'io'): number {
  const text = readFileSync(`/proc/pressure/${resource}`, 'utf8');
  const match = /^some .*total=(\d+)/m.exec(text);
  if (!match) throw new Error(`no "some" line in /proc/pressure/${resource}`);
  return Number(match[1]);
}

export function readPressure(): PressureTotals | null {
  try {
    return { cpuMicros: someTotal('cpu'), ioMicros: someTotal('io') };
  } catch {
    return null;
  }
}

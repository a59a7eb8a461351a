// What a clock on the wall of an IANA time zone reads at an instant. The dashboard's days
// (period.ts) and its times (format.ts) are both read from here, so a time under a day's bar
// always falls on that day.

export interface WallClock {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
}

// Intl.DateTimeFormat is slow to build and a journey formats hundreds of times: one per zone.
const formats = new Map<string, Intl.DateTimeFormat>();

/** The wall clock in `timeZone` at `date`, each field zero-padded: { year: "2026", month: "11", day: "02", hour: "00", ... }. */
export function wallClock(date: Date, timeZone: string): WallClock {
  let format = formats.get(timeZone);
  if (!format) {
    // Read as parts, since a locale's layout is not ours to rely on; h23 because hour12: false
    // writes midnight as "24" in some engines.
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(timeZone, format);
  }
  const clock: WallClock = { year: '', month: '', day: '', hour: '', minute: '', second: '' };
  for (const { type, value } of format.formatToParts(date)) {
    if (type in clock) clock[type as keyof WallClock] = value;
  }
  return clock;
}

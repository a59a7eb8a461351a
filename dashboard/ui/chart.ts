// Pageviews per day as an inline SVG bar chart: no chart library, a few hundred bytes.
// The SVG has a fixed viewBox and scales to its card's width; each day is a group with
// a <title> (the browser's own tooltip) over an invisible full-height column, so days
// with no pageviews can be hovered too. A theme's chart adds its interest per day as a
// line on a scale of its own (labelled on the right): minutes and pageviews do not share one.

import { formatCompact, formatDay, formatInterest, formatNumber } from './format.ts';
import { h, s } from './render.ts';
import type { DayCount } from './types.ts';

const WIDTH = 960;
const HEIGHT = 220;
const MARGIN = { top: 12, right: 8, bottom: 26, left: 44 };
/** Room for the interest scale's labels. */
const LINE_MARGIN_RIGHT = 44;
const MAX_X_LABELS = 10;

export interface ChartOptions<Day> {
  /** The SVG's size in viewBox units; it scales to its card's width, so a chart in a narrow card has a smaller box and keeps its labels legible. */
  width?: number;
  height?: number;
  testId?: string;
  /** Each day's interest, drawn as a line when given. */
  interest?: (day: Day) => number;
}

/** A rounded top for the y axis and the step between its grid lines (1, 2 or 5 × 10^n). */
export function niceScale(max: number, ticks = 4): { top: number; step: number } {
  if (!(max > 0)) return { top: ticks, step: 1 };
  const rough = max / ticks;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= rough) ?? 10 * magnitude;
  // Counts are whole numbers: a step below 1 would label the axis 0.25, 0.5...
  const wholeStep = Math.max(1, step);
  return { top: Math.ceil(max / wholeStep) * wholeStep, step: wholeStep };
}

export function pageviewsChart<Day extends DayCount>(days: readonly Day[], { width = WIDTH, height = HEIGHT, testId = 'pageviews-chart', interest }: ChartOptions<Day> = {}): Element {
  if (days.length === 0) return h('p', { class: 'empty', 'data-testid': testId }, 'No days in this period.');

  const right = interest ? LINE_MARGIN_RIGHT : MARGIN.right;
  const plotWidth = width - MARGIN.left - right;
  const plotHeight = height - MARGIN.top - MARGIN.bottom;
  const { top, step } = niceScale(Math.max(...days.map((d) => d.pageviews)));
  const y = (value: number) => MARGIN.top + plotHeight - (value / top) * plotHeight;
  const column = plotWidth / days.length;
  const gap = Math.min(column * 0.25, 6);
  const labelEvery = Math.ceil(days.length / Math.max(2, Math.floor((MAX_X_LABELS * width) / WIDTH)));

  const grid = [];
  for (let value = 0; value <= top; value += step) {
    grid.push(
      s('line', { class: value === 0 ? 'axis' : 'grid', x1: MARGIN.left, x2: width - right, y1: y(value), y2: y(value) }),
      s('text', { class: 'tick', x: MARGIN.left - 8, y: y(value), 'text-anchor': 'end', 'dominant-baseline': 'middle' }, formatCompact(value)),
    );
  }

  const bars = days.map((day, index) => {
    const x = MARGIN.left + index * column;
    const barTop = y(day.pageviews);
    const pageviews = `${formatNumber(day.pageviews)} ${day.pageviews === 1 ? 'pageview' : 'pageviews'}`;
    const visitors = `${formatNumber(day.visitors)} ${day.visitors === 1 ? 'visitor' : 'visitors'}`;
    const interested = interest ? `, interest ${formatInterest(interest(day))}` : '';
    return s(
      'g',
      { class: 'day', 'data-testid': 'chart-day', 'data-day': day.day, 'data-pageviews': day.pageviews, 'data-interest': interest ? interest(day) : null },
      s('title', null, `${day.day}: ${pageviews}, ${visitors}${interested}`),
      s('rect', { class: 'hit', x, y: MARGIN.top, width: column, height: plotHeight }),
      s('rect', { class: 'bar', x: x + gap / 2, y: barTop, width: Math.max(column - gap, 1), height: MARGIN.top + plotHeight - barTop, rx: 2 }),
      // Counted back from the last day, so the period's end (usually today) is always labelled.
      (days.length - 1 - index) % labelEvery === 0
        ? s('text', { class: 'tick', x: x + column / 2, y: height - 8, 'text-anchor': 'middle' }, formatDay(day.day))
        : null,
    );
  });

  return s(
    'svg',
    {
      class: 'chart',
      'data-testid': testId,
      viewBox: `0 0 ${width} ${height}`,
      role: 'img',
      'aria-label': `Pageviews${interest ? ' and interest' : ''} per day, ${days[0]?.day} to ${days[days.length - 1]?.day}`,
    },
    grid,
    bars,
    interest ? interestLine(days.map(interest), { column, plotHeight, plotRight: width - right }) : null,
  );
}

/** The interest line over the bars, with its scale's top labelled at the right edge. */
function interestLine(values: readonly number[], { column, plotHeight, plotRight }: { column: number; plotHeight: number; plotRight: number }): SVGElement {
  const top = Math.max(...values) > 0 ? niceScale(Math.max(...values), 2).top : 1;
  const y = (value: number) => MARGIN.top + plotHeight - (value / top) * plotHeight;
  const points = values.map((value, index) => `${(MARGIN.left + (index + 0.5) * column).toFixed(1)},${y(value).toFixed(1)}`);
  return s(
    'g',
    { class: 'interest' },
    s('polyline', { class: 'line', points: points.join(' ') }),
    s('text', { class: 'tick interest-tick', x: plotRight + 6, y: y(top), 'dominant-baseline': 'middle' }, formatInterest(top)),
    s('text', { class: 'tick interest-tick', x: plotRight + 6, y: y(0), 'dominant-baseline': 'middle' }, '0'),
  );
}

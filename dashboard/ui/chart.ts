// Pageviews per day as an inline SVG bar chart: no chart library, a few hundred bytes.
// The SVG has a fixed viewBox and scales to its card's width; each day is a group with
// a <title> (the browser's own tooltip) over an invisible full-height column, so days
// with no pageviews can be hovered too.

import { formatCompact, formatDay, formatNumber } from './format.ts';
import { h, s } from './render.ts';
import type { DayCount } from './types.ts';

const WIDTH = 960;
const HEIGHT = 220;
const MARGIN = { top: 12, right: 8, bottom: 26, left: 44 };
const MAX_X_LABELS = 10;

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

export function pageviewsChart(days: readonly DayCount[]): Element {
  if (days.length === 0) return h('p', { class: 'empty', 'data-testid': 'pageviews-chart' }, 'No days in this period.');

  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const { top, step } = niceScale(Math.max(...days.map((d) => d.pageviews)));
  const y = (value: number) => MARGIN.top + plotHeight - (value / top) * plotHeight;
  const column = plotWidth / days.length;
  const gap = Math.min(column * 0.25, 6);
  const labelEvery = Math.ceil(days.length / MAX_X_LABELS);

  const grid = [];
  for (let value = 0; value <= top; value += step) {
    grid.push(
      s('line', { class: value === 0 ? 'axis' : 'grid', x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y(value), y2: y(value) }),
      s('text', { class: 'tick', x: MARGIN.left - 8, y: y(value), 'text-anchor': 'end', 'dominant-baseline': 'middle' }, formatCompact(value)),
    );
  }

  const bars = days.map((day, index) => {
    const x = MARGIN.left + index * column;
    const barTop = y(day.pageviews);
    const pageviews = `${formatNumber(day.pageviews)} ${day.pageviews === 1 ? 'pageview' : 'pageviews'}`;
    const visitors = `${formatNumber(day.visitors)} ${day.visitors === 1 ? 'visitor' : 'visitors'}`;
    return s(
      'g',
      { class: 'day', 'data-testid': 'chart-day', 'data-day': day.day, 'data-pageviews': day.pageviews },
      s('title', null, `${day.day}: ${pageviews}, ${visitors}`),
      s('rect', { class: 'hit', x, y: MARGIN.top, width: column, height: plotHeight }),
      s('rect', { class: 'bar', x: x + gap / 2, y: barTop, width: Math.max(column - gap, 1), height: MARGIN.top + plotHeight - barTop, rx: 2 }),
      // Counted back from the last day, so the period's end (usually today) is always labelled.
      (days.length - 1 - index) % labelEvery === 0
        ? s('text', { class: 'tick', x: x + column / 2, y: HEIGHT - 8, 'text-anchor': 'middle' }, formatDay(day.day))
        : null,
    );
  });

  return s(
    'svg',
    {
      class: 'chart',
      'data-testid': 'pageviews-chart',
      viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
      role: 'img',
      'aria-label': `Pageviews per day, ${days[0]?.day} to ${days[days.length - 1]?.day}`,
    },
    grid,
    bars,
  );
}

// The overview of one site over one period: KPI cards, pageviews per day, breakdowns,
// what ingestion filtered out, and the most recent visitors (each opening a journey).

import { pageviewsChart } from './chart.ts';
import { formatCountry, formatDateTime, formatDevice, formatDuration, formatNumber, formatPercent, formatPlace, formatSource } from './format.ts';
import { type Child, h } from './render.ts';
import { card, dataTable } from './table.ts';
import type { StatsResponse, VisitorSummary, VisitorsResponse } from './types.ts';

export interface OverviewOptions {
  stats: StatsResponse;
  visitors: VisitorsResponse;
  /** The in-page link ("#...") that opens a visitor's journey. */
  journeyLink: (visitorId: string) => string;
  /** The site's IANA time zone, in which times are shown. */
  timeZone: string;
}

export function overview({ stats, visitors, journeyLink, timeZone }: OverviewOptions): HTMLElement {
  return h(
    'div',
    { class: 'overview', 'data-testid': 'overview' },
    kpis(stats),
    card('Pageviews per day', pageviewsChart(stats.pageviewsPerDay)),
    h('div', { class: 'grid two' }, topPages(stats), topReferrers(stats)),
    h('div', { class: 'grid two' }, channels(stats), countries(stats)),
    h('div', { class: 'grid two' }, browsers(stats), devices(stats)),
    droppedLine(stats),
    recentVisitors(visitors.visitors, journeyLink, timeZone),
  );
}

function kpis({ totals }: StatsResponse): HTMLElement {
  const kpi = (testId: string, label: string, value: string) =>
    h('div', { class: 'kpi' }, h('div', { class: 'kpi-label' }, label), h('div', { class: 'kpi-value', 'data-testid': testId }, value));
  return h(
    'div',
    { class: 'kpis' },
    kpi('kpi-visitors', 'Visitors', formatNumber(totals.visitors)),
    kpi('kpi-sessions', 'Sessions', formatNumber(totals.sessions)),
    kpi('kpi-pageviews', 'Pageviews', formatNumber(totals.pageviews)),
    kpi('kpi-bounce-rate', 'Bounce rate', formatPercent(totals.bounceRate)),
    kpi('kpi-duration', 'Visit duration', formatDuration(totals.avgDurationSeconds)),
  );
}

const count = (value: number) => formatNumber(value);

function topPages({ topPages: rows }: StatsResponse): HTMLElement {
  return card(
    'Top pages',
    dataTable({
      testId: 'top-pages',
      rows,
      share: (row) => row.visitors,
      columns: [
        // Paths are shown as text, never as links: a tracked "path" is whatever the page sent.
        { label: 'Page', cell: (row) => h('span', { class: 'path', title: row.path }, row.path) },
        { label: 'Visitors', numeric: true, cell: (row) => count(row.visitors) },
        { label: 'Pageviews', numeric: true, cell: (row) => count(row.pageviews) },
      ],
    }),
  );
}

function topReferrers({ topReferrers: rows }: StatsResponse): HTMLElement {
  return card(
    'Top sources',
    dataTable({
      testId: 'top-referrers',
      rows,
      share: (row) => row.visitors,
      columns: [
        { label: 'Source', cell: (row) => formatSource(row.source) },
        { label: 'Medium', cell: (row) => row.medium },
        { label: 'Visitors', numeric: true, cell: (row) => count(row.visitors) },
        { label: 'Sessions', numeric: true, cell: (row) => count(row.sessions) },
      ],
    }),
  );
}

/** A card of visitors by one dimension (medium, country, browser, device), the largest first. */
function breakdown<Row extends { visitors: number }>(title: string, testId: string, rows: readonly Row[], label: string, name: (row: Row) => Child): HTMLElement {
  return card(
    title,
    dataTable({
      testId,
      rows,
      share: (row) => row.visitors,
      columns: [
        { label, cell: name },
        { label: 'Visitors', numeric: true, cell: (row) => count(row.visitors) },
      ],
    }),
  );
}

const channels = ({ channels: rows }: StatsResponse) => breakdown('Channels', 'channels', rows, 'Medium', (row) => row.medium);
const countries = ({ countries: rows }: StatsResponse) =>
  breakdown('Countries', 'countries', rows, 'Country', (row) => h('span', { title: row.country ?? 'Unknown' }, formatCountry(row.country)));
const browsers = ({ browsers: rows }: StatsResponse) => breakdown('Browsers', 'browsers', rows, 'Browser', (row) => row.browser ?? 'Unknown');
const devices = ({ devices: rows }: StatsResponse) => breakdown('Devices', 'devices', rows, 'Device', (row) => row.deviceType ?? 'Unknown');

function droppedLine({ dropped }: StatsResponse): HTMLElement {
  const total = dropped.reduce((sum, row) => sum + row.count, 0);
  const items = dropped.map((row) => h('span', { class: 'dropped-item', 'data-reason': row.reason }, `${row.reason}: ${formatNumber(row.count)}`));
  return h(
    'p',
    { class: 'dropped', 'data-testid': 'dropped' },
    total === 0
      ? 'Nothing was filtered out in this period.'
      : [`Filtered out: ${formatNumber(total)} ${total === 1 ? 'event' : 'events'} (`, joinWith(items, ', '), ')'],
  );
}

function joinWith(nodes: readonly Node[], separator: string): (Node | string)[] {
  return nodes.flatMap((node, index) => (index === 0 ? [node] : [separator, node]));
}

function recentVisitors(rows: readonly VisitorSummary[], journeyLink: (visitorId: string) => string, timeZone: string): HTMLElement {
  return card(
    'Recent visitors',
    dataTable({
      testId: 'visitors',
      rows,
      empty: 'No visitors in this period.',
      // The whole row opens the journey; the link in the first cell keeps it a real,
      // keyboard-reachable, middle-clickable link.
      onRowClick: (row, event) => {
        if ((event.target as Element).closest('a')) return;
        location.hash = journeyLink(row.visitorId);
      },
      columns: [
        {
          label: 'Visitor',
          cell: (row) => h('a', { href: journeyLink(row.visitorId), class: 'visitor-link', 'data-testid': 'visitor-link', title: row.visitorId }, shortId(row.visitorId)),
        },
        { label: 'Last seen', cell: (row) => formatDateTime(row.lastSeen, timeZone) },
        { label: 'First seen', cell: (row) => formatDateTime(row.firstSeen, timeZone) },
        { label: 'Sessions', numeric: true, cell: (row) => count(row.sessions) },
        { label: 'Pageviews', numeric: true, cell: (row) => count(row.pageviews) },
        { label: 'First source', cell: (row) => formatSource(row.firstSource) },
        { label: 'Place', cell: (row) => formatPlace({ city: row.city, country: row.country }) },
        { label: 'Device', cell: (row) => formatDevice(row) },
      ],
    }),
  );
}

/** Visitor ids are long random strings; the start is enough to tell rows apart. */
export function shortId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 10)}…` : id;
}

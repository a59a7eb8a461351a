// Breakdown tables: a label column, number columns, and a faint bar behind each row
// showing its share of the largest row, so the eye finds the big items without a chart.

import { h, type Child } from './render.ts';

export interface Column<Row> {
  label: string;
  cell: (row: Row) => Child;
  numeric?: boolean;
}

export interface DataTableOptions<Row> {
  testId: string;
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  /** The value the row's bar is proportional to; no bars when absent. */
  share?: (row: Row) => number;
  empty?: string;
  onRowClick?: (row: Row, event: MouseEvent) => void;
}

export function dataTable<Row>({ testId, columns, rows, share, empty = 'Nothing in this period.', onRowClick }: DataTableOptions<Row>): Element {
  const largest = share ? Math.max(0, ...rows.map(share)) : 0;
  const body = rows.map((row) => {
    const tr = h(
      'tr',
      onRowClick ? { class: 'clickable', onclick: (event) => onRowClick(row, event as MouseEvent) } : null,
      columns.map((column) => {
        const content = column.cell(row);
        // Long text is cut with an ellipsis; the title attribute (plain text) shows all of it on hover.
        return h('td', { class: column.numeric ? 'num' : null, title: typeof content === 'string' ? content : null }, content);
      }),
    );
    // A computed number set through the CSSOM, never a style attribute built from data.
    if (share && largest > 0) tr.style.setProperty('--share', `${((share(row) / largest) * 100).toFixed(1)}%`);
    return tr;
  });

  const table = h(
    'table',
    { class: share ? 'data with-share' : 'data', 'data-testid': testId },
    h('thead', null, h('tr', null, columns.map((column) => h('th', column.numeric ? { class: 'num', scope: 'col' } : { scope: 'col' }, column.label)))),
    h('tbody', null, body),
  );
  return rows.length > 0 ? table : h('div', null, table, h('p', { class: 'empty' }, empty));
}

/** A card with a heading around any content. */
export function card(title: string, ...content: Child[]): HTMLElement {
  return h('section', { class: 'card' }, h('h2', null, title), content);
}

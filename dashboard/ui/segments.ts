// The Segments page of a site: each saved segment with who is in it now (membership is computed
// when asked, so it is always current), a CSV of its members for an ad platform, and the form that
// defines a new one.

import type { ApiClient } from './api.ts';
import { saveFile } from './download.ts';
import { formMessage, submitting } from './form.ts';
import { formatDateTime, formatInterest, formatNumber } from './format.ts';
import { h } from './render.ts';
import { segmentForm } from './segment-form.ts';
import { shortId } from './overview.ts';
import { dataTable } from './table.ts';
import { themeNamer } from './themes.ts';
import type { Segment, SegmentDefinition, SegmentMember, SegmentMembersResponse, Theme } from './types.ts';

/** Members listed on the page; the CSV has them all. */
const SHOWN_MEMBERS = 100;

export interface SegmentsPageOptions {
  site: string;
  themes: readonly Theme[];
  /** Each segment with its members now, or why they could not be read. */
  segments: readonly { segment: Segment; members: SegmentMembersResponse | { error: string } }[];
  api: Pick<ApiClient, 'previewSegment' | 'createSegment' | 'updateSegment' | 'deleteSegment' | 'segmentMembersCsv'>;
  visitorLink: (visitorId: string) => string;
  personLink: (personId: string) => string;
  /** The site's IANA time zone, in which times are shown. */
  timeZone: string;
  /** Called after a change, with what to tell the marketer; the page is then loaded again. */
  onChanged: (notice: string) => void;
}

/** "Horse racing on 3+ of the last 30 days, interest ≥ 1, seen within 14 days; countries FR" */
export function describeSegment(definition: SegmentDefinition, themeName: (id: string) => string): string {
  const filters = [
    definition.countries ? `countries ${definition.countries.join(', ')}` : null,
    definition.deviceTypes ? `devices ${definition.deviceTypes.join(', ')}` : null,
    definition.traits
      ? `traits ${Object.entries(definition.traits)
          .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('|') : value}`)
          .join(', ')}`
      : null,
  ].filter((filter) => filter !== null);
  const core = `${themeName(definition.themeId)} on ${definition.minDays}+ of the last ${definition.windowDays} days, interest ≥ ${definition.minInterest}, seen within ${definition.seenWithinDays} days`;
  return [core, ...filters].join('; ');
}

export function segmentsPage({ site, themes, segments, api, visitorLink, personLink, timeZone, onChanged }: SegmentsPageOptions): HTMLElement {
  const themeName = themeNamer(themes);

  const membersTable = (members: readonly SegmentMember[], testId: string) =>
    dataTable({
      testId,
      rows: members,
      empty: 'Nobody matches now.',
      columns: [
        {
          label: 'Visitor',
          cell: (row) => h('a', { href: visitorLink(row.visitorId), class: 'visitor-link', 'data-testid': 'member-visitor', title: row.visitorId }, shortId(row.visitorId)),
        },
        {
          label: 'Person',
          cell: (row) => (row.personId ? h('a', { href: personLink(row.personId), class: 'visitor-link', 'data-testid': 'member-person', title: row.personId }, shortId(row.personId)) : '—'),
        },
        { label: 'Interest', numeric: true, cell: (row) => formatInterest(row.interest) },
        { label: 'Days active', numeric: true, cell: (row) => formatNumber(row.daysActive) },
        { label: 'Last seen', cell: (row) => formatDateTime(row.lastSeen, timeZone) },
        { label: 'Top pages', cell: (row) => row.topPages.join(' ') },
      ],
    });

  const saved = (verb: string) => (segment: Segment) => onChanged(`Segment “${segment.definition.name}” ${verb}.`);

  function segmentCard({ segment, members }: SegmentsPageOptions['segments'][number]): HTMLElement {
    const { definition } = segment;
    const status = formMessage('segment-status');
    const fail = (error: unknown) => status.show((error as Error).message);

    const download = h('button', { type: 'button', 'data-testid': 'segment-csv' }, 'Download CSV');
    download.addEventListener('click', () =>
      submitting([download], async () => saveFile(await api.segmentMembersCsv(site, segment.id), `${site}-segment-${segment.id}.csv`), status.show),
    );

    // Deleting asks once more, in place: a modal confirm() would block the page.
    const confirmDelete = h(
      'span',
      { class: 'confirm', hidden: true },
      'Delete this segment? ',
      h(
        'button',
        {
          type: 'button',
          class: 'danger',
          'data-testid': 'segment-delete-confirm',
          onclick: () => api.deleteSegment(site, segment.id).then(() => onChanged(`Segment “${definition.name}” deleted.`), fail),
        },
        'Delete',
      ),
      h('button', { type: 'button', onclick: () => (confirmDelete.hidden = true) }, 'Cancel'),
    );

    const body = h(
      'div',
      null,
      h('p', { class: 'muted', 'data-testid': 'segment-definition' }, describeSegment(definition, themeName)),
      h(
        'div',
        { class: 'form-actions' },
        download,
        h('button', { type: 'button', 'data-testid': 'segment-edit', onclick: () => card.replaceChildren(editForm) }, 'Edit'),
        h('button', { type: 'button', 'data-testid': 'segment-delete', onclick: () => (confirmDelete.hidden = false) }, 'Delete'),
        confirmDelete,
      ),
      status.element,
      'error' in members
        ? h('p', { class: 'form-message', role: 'alert', 'data-testid': 'segment-members-error' }, members.error)
        : [
            membersTable(members.members.slice(0, SHOWN_MEMBERS), 'segment-members'),
            members.size > SHOWN_MEMBERS ? h('p', { class: 'muted' }, `The first ${SHOWN_MEMBERS} of ${formatNumber(members.size)}: the CSV has them all.`) : null,
          ],
    );
    const editForm = segmentForm({ site, themes, editing: segment, api, membersTable, onSaved: saved('saved'), onCancel: () => card.replaceChildren(heading, body) });
    const size = 'error' in members ? '' : `${formatNumber(members.size)} ${members.size === 1 ? 'member' : 'members'}`;
    const heading = h('h2', null, h('span', { 'data-testid': 'segment-title' }, definition.name), ' ', h('span', { class: 'pill', 'data-testid': 'segment-size' }, size));
    const card = h('section', { class: 'card segment-card', 'data-testid': 'segment', 'data-segment-id': segment.id }, heading, body);
    return card;
  }

  return h(
    'div',
    { class: 'segments-page', 'data-testid': 'segments-page' },
    themes.length === 0
      ? h('section', { class: 'card', 'data-testid': 'no-themes' }, h('h2', null, 'No themes yet'), h('p', null, 'A segment gathers the people interested in a theme: define the site’s themes on the Themes page first.'))
      : [
          segments.length === 0 ? h('p', { class: 'empty', 'data-testid': 'no-segments' }, 'No segments yet: define the first below.') : segments.map(segmentCard),
          segmentForm({ site, themes, api, membersTable, onSaved: saved('created') }),
        ],
  );
}

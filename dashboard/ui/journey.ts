// One visitor's journey: who they are (first and last seen, place, device), then each
// session in time order with where it came from and the pages and events it contains.

import { formatDateTime, formatDevice, formatDuration, formatNumber, formatPlace, formatProps, formatSource, formatTime } from './format.ts';
import { h, type Child } from './render.ts';
import type { JourneyEvent, JourneyResponse, JourneySession } from './types.ts';

export interface JourneyOptions {
  journey: JourneyResponse;
  /** The in-page link ("#...") back to the overview this journey was opened from. */
  overviewLink: string;
}

export function journeyView({ journey, overviewLink }: JourneyOptions): HTMLElement {
  const { visitor, sessions } = journey;
  return h(
    'div',
    { class: 'journey', 'data-testid': 'journey' },
    backLink(overviewLink),
    h(
      'section',
      { class: 'card visitor-card', 'data-testid': 'journey-visitor' },
      h('h2', null, 'Visitor ', h('code', { class: 'visitor-id' }, visitor.visitorId)),
      facts([
        ['First seen', formatDateTime(visitor.firstSeen)],
        ['Last seen', formatDateTime(visitor.lastSeen)],
        ['Sessions', formatNumber(visitor.sessions)],
        ['Pageviews', formatNumber(visitor.pageviews)],
        ['Days active', formatNumber(visitor.daysActive)],
        ['First source', formatSource(visitor.firstSource)],
        ['Last source', formatSource(visitor.lastSource)],
        ['Place', formatPlace({ city: visitor.city, country: visitor.country })],
        ['Device', formatDevice(visitor)],
        ['Countries seen', visitor.countries.length > 0 ? visitor.countries.join(', ') : null],
        ['Devices seen', visitor.deviceTypes.join(', ')],
      ]),
    ),
    h('h2', { class: 'section-title' }, sessionsTitle(sessions.length, visitor.sessions)),
    sessions.length > 0 ? sessions.map((session, index) => sessionCard(session, index, sessions.length)) : h('p', { class: 'empty' }, 'No sessions recorded for this visitor.'),
  );
}

/** The API returns at most the latest few hundred sessions; say so when some are left out. */
function sessionsTitle(shown: number, total: number): string {
  return total > shown ? `Sessions (latest ${formatNumber(shown)} of ${formatNumber(total)})` : `Sessions (${formatNumber(shown)})`;
}

export function backLink(overviewLink: string): HTMLElement {
  return h('a', { class: 'back', href: overviewLink, 'data-testid': 'back-to-overview' }, '← Back to overview');
}

function sessionCard(session: JourneySession, index: number, total: number): HTMLElement {
  return h(
    'article',
    { class: 'card session', 'data-testid': 'journey-session', 'data-session-id': session.sessionId },
    h(
      'header',
      { class: 'session-head' },
      h('h3', null, `Session ${index + 1} of ${total}`),
      h('span', { class: 'muted' }, formatDateTime(session.startedAt)),
      h('span', { class: 'pill' }, formatDuration(session.durationSeconds)),
      h('span', { class: 'pill' }, `${formatNumber(session.pageviews)} ${session.pageviews === 1 ? 'pageview' : 'pageviews'}`),
      session.bounced ? h('span', { class: 'pill warn' }, 'bounced') : null,
    ),
    facts([
      ['Source', sourceDetail(session)],
      ['Campaign', campaign(session)],
      ['Place', formatPlace(session.place)],
      ['Device', formatDevice(session.device)],
    ]),
    h('ol', { class: 'timeline' }, session.events.map(eventItem)),
  );
}

function sourceDetail(session: JourneySession): Child {
  const term = session.searchTerm ? ` “${session.searchTerm}”` : '';
  const source = `${formatSource(session.source)} (${session.medium})${term}`;
  // The full referrer URL is shown as text only: it is whatever the visitor's browser sent.
  return session.referrer && session.referrer !== source ? [source, ' ', h('span', { class: 'muted referrer' }, session.referrer)] : source;
}

function campaign({ utm }: JourneySession): string | null {
  const parts = (['source', 'medium', 'campaign'] as const).filter((key) => utm[key]).map((key) => `utm_${key}=${utm[key]}`);
  return parts.length > 0 ? parts.join(' ') : null;
}

function eventItem(event: JourneyEvent): HTMLElement {
  const isCustom = event.type === 'event';
  return h(
    'li',
    { class: isCustom ? 'event custom' : 'event pageview', 'data-testid': 'journey-event', 'data-event-type': event.type },
    h('time', { datetime: event.time }, formatTime(event.time)),
    h('span', { class: 'kind' }, isCustom ? 'Event' : 'Page'),
    isCustom ? h('strong', { class: 'event-name' }, event.name ?? '(unnamed)') : null,
    h('span', { class: 'path' }, event.path),
    event.title ? h('span', { class: 'title' }, event.title) : null,
    isCustom ? formatProps(event.props).map((prop) => h('span', { class: 'prop' }, prop)) : null,
  );
}

/** A definition list of label/value pairs; pairs without a value are left out. */
function facts(pairs: readonly (readonly [string, Child])[]): HTMLElement {
  return h(
    'dl',
    { class: 'facts' },
    pairs.filter(([, value]) => value !== null && value !== '').map(([label, value]) => h('div', null, h('dt', null, label), h('dd', null, value))),
  );
}

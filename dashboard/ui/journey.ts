// One visitor's journey, or one person's across their devices: who they are (first and last
// seen, place, device, the person or devices behind it), then each session in time order with
// where it came from and the pages and events it contains.

import { formatDateTime, formatDevice, formatDuration, formatInterest, formatNumber, formatPlace, formatProps, formatSource, formatTime } from './format.ts';
import { h, type Child } from './render.ts';
import type { JourneyEvent, JourneyResponse, JourneySession, JourneyTheme, PersonJourneyResponse, PersonRange, PropValue } from './types.ts';

/** Themes shown on a visitor's or person's card; the rest matter less by construction. */
const TOP_THEMES = 5;

export interface JourneyOptions {
  journey: JourneyResponse;
  /** The in-page link ("#...") back to the overview this journey was opened from. */
  overviewLink: string;
  /** The in-page link that opens a person's journey. */
  personLink: (personId: string) => string;
  /** What the back link says: "overview", "segments"... */
  backTo?: string;
  /** A theme's name, or its id when the site's list lacks it. */
  themeName: (themeId: string) => string;
  /** The site's IANA time zone, in which times are shown. */
  timeZone: string;
}

export function journeyView({ journey, overviewLink, personLink, backTo, themeName, timeZone }: JourneyOptions): HTMLElement {
  const { visitor, sessions } = journey;
  return h(
    'div',
    { class: 'journey', 'data-testid': 'journey' },
    backLink(overviewLink, backTo),
    h(
      'section',
      { class: 'card visitor-card', 'data-testid': 'journey-visitor' },
      h('h2', null, 'Visitor ', h('code', { class: 'visitor-id' }, visitor.visitorId)),
      facts([
        ['First seen', formatDateTime(visitor.firstSeen, timeZone)],
        ['Last seen', formatDateTime(visitor.lastSeen, timeZone)],
        ['Sessions', formatNumber(visitor.sessions)],
        ['Pageviews', formatNumber(visitor.pageviews)],
        ['Days active', formatNumber(visitor.daysActive)],
        ['First source', formatSource(visitor.firstSource)],
        ['Last source', formatSource(visitor.lastSource)],
        ['Place', formatPlace({ city: visitor.city, country: visitor.country })],
        ['Device', formatDevice(visitor)],
        ['Countries seen', visitor.countries.length > 0 ? visitor.countries.join(', ') : null],
        ['Devices seen', visitor.deviceTypes.join(', ')],
        ['Person', visitor.people.length > 0 ? personParts(visitor.people, personLink, timeZone) : null],
        ['Top themes', topThemes(journey.themes, themeName)],
      ]),
    ),
    h('h2', { class: 'section-title' }, sessionsTitle(sessions.length, visitor.sessions)),
    sessions.length > 0 ? sessions.map((session, index) => sessionCard(session, index, sessions.length, timeZone)) : h('p', { class: 'empty' }, 'No sessions recorded for this visitor.'),
  );
}

export interface PersonOptions {
  journey: PersonJourneyResponse;
  overviewLink: string;
  /** The in-page link that opens one of the person's devices (a visitor's journey). */
  visitorLink: (visitorId: string) => string;
  backTo?: string;
  themeName: (themeId: string) => string;
  timeZone: string;
}

/** A person: every device they used, merged in time order, with their traits from identify calls and the CRM. */
export function personView({ journey, overviewLink, visitorLink, backTo, themeName, timeZone }: PersonOptions): HTMLElement {
  const { person, sessions } = journey;
  return h(
    'div',
    { class: 'journey', 'data-testid': 'person-journey' },
    backLink(overviewLink, backTo),
    h(
      'section',
      { class: 'card visitor-card', 'data-testid': 'journey-person' },
      h('h2', null, 'Person ', h('code', { class: 'visitor-id', title: 'SHA-256 of the e-mail address or user id' }, person.personId)),
      facts([
        ['First seen', person.firstSeen ? formatDateTime(person.firstSeen, timeZone) : null],
        ['Last seen', person.lastSeen ? formatDateTime(person.lastSeen, timeZone) : null],
        ['First identified', person.firstIdentified ? formatDateTime(person.firstIdentified, timeZone) : null],
        ['Sessions', formatNumber(person.sessions)],
        ['Pageviews', formatNumber(person.pageviews)],
        ['Days active', formatNumber(person.daysActive)],
        ['First source', person.firstSource ? formatSource(person.firstSource) : null],
        ['Last source', person.lastSource ? formatSource(person.lastSource) : null],
        ['Countries seen', person.countries.length > 0 ? person.countries.join(', ') : null],
        ['Devices seen', person.deviceTypes.join(', ')],
        [
          'Devices',
          h(
            'ul',
            { class: 'plain', 'data-testid': 'person-visitors' },
            person.visitors.map((part) => h('li', null, h('a', { href: visitorLink(part.visitorId), 'data-testid': 'person-visitor-link' }, part.visitorId), ' ', rangeText(part, timeZone))),
          ),
        ],
        ['Traits', traitList(person.traits, 'person-traits')],
        ['CRM', person.crm ? [traitList(person.crm.traits, 'person-crm'), h('span', { class: 'muted' }, ` imported ${formatDateTime(person.crm.importedAt, timeZone)}`)] : null],
        ['Top themes', topThemes(journey.themes, themeName)],
      ]),
    ),
    h('h2', { class: 'section-title' }, sessionsTitle(sessions.length, person.sessions)),
    sessions.length > 0
      ? sessions.map((session, index) => sessionCard(session, index, sessions.length, timeZone, h('a', { href: visitorLink(session.visitorId), class: 'muted' }, session.visitorId)))
      : h('p', { class: 'empty' }, 'No sessions recorded for this person.'),
  );
}

function personParts(parts: JourneyResponse['visitor']['people'], personLink: (personId: string) => string, timeZone: string): HTMLElement {
  return h(
    'ul',
    { class: 'plain', 'data-testid': 'visitor-people' },
    parts.map((part) => h('li', null, h('a', { href: personLink(part.personId), 'data-testid': 'person-link', title: part.personId }, `${part.personId.slice(0, 12)}…`), ' ', rangeText(part, timeZone))),
  );
}

/** A shared device's parts say when; a device used by one person only says nothing. */
function rangeText({ from, until }: PersonRange, timeZone: string): string {
  if (!from && !until) return '';
  if (!from) return `until ${formatDateTime(until!, timeZone)}`;
  return until ? `${formatDateTime(from, timeZone)} to ${formatDateTime(until, timeZone)}` : `from ${formatDateTime(from, timeZone)}`;
}

function traitList(traits: Record<string, PropValue>, testId: string): Child {
  const shown = formatProps(traits);
  return shown.length > 0 ? h('span', { 'data-testid': testId }, shown.map((trait) => h('span', { class: 'prop' }, trait))) : null;
}

/** The API returns at most the latest few hundred sessions; say so when some are left out. */
function sessionsTitle(shown: number, total: number): string {
  return total > shown ? `Sessions (latest ${formatNumber(shown)} of ${formatNumber(total)})` : `Sessions (${formatNumber(shown)})`;
}

export function backLink(overviewLink: string, backTo = 'overview'): HTMLElement {
  return h('a', { class: 'back', href: overviewLink, 'data-testid': 'back-to-overview' }, `← Back to ${backTo}`);
}

/** Lifetime interest per theme (older days count less), most first: "Horse racing: interest 12.3, 3 days". */
function topThemes(themes: readonly JourneyTheme[] | undefined, themeName: (themeId: string) => string): Child {
  if (!themes || themes.length === 0) return null;
  return h(
    'ul',
    { class: 'plain', 'data-testid': 'journey-themes' },
    themes.slice(0, TOP_THEMES).map((theme) =>
      h(
        'li',
        { 'data-theme-id': theme.themeId, title: `Last day on it: ${theme.lastDay}` },
        h('strong', null, themeName(theme.themeId)),
        h('span', { class: 'muted' }, `: interest ${formatInterest(theme.interest)}, ${formatNumber(theme.daysActive)} ${theme.daysActive === 1 ? 'day' : 'days'}`),
      ),
    ),
  );
}

function sessionCard(session: JourneySession, index: number, total: number, timeZone: string, device: Child = null): HTMLElement {
  return h(
    'article',
    { class: 'card session', 'data-testid': 'journey-session', 'data-session-id': session.sessionId },
    h(
      'header',
      { class: 'session-head' },
      h('h3', null, `Session ${index + 1} of ${total}`),
      h('span', { class: 'muted' }, formatDateTime(session.startedAt, timeZone)),
      h('span', { class: 'pill' }, formatDuration(session.durationSeconds)),
      h('span', { class: 'pill' }, `${formatNumber(session.pageviews)} ${session.pageviews === 1 ? 'pageview' : 'pageviews'}`),
      session.bounced ? h('span', { class: 'pill warn' }, 'bounced') : null,
      device,
    ),
    facts([
      ['Source', sourceDetail(session)],
      ['Campaign', campaign(session)],
      ['Place', formatPlace(session.place)],
      ['Device', formatDevice(session.device)],
    ]),
    h('ol', { class: 'timeline' }, session.events.map((event) => eventItem(event, timeZone))),
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

function eventItem(event: JourneyEvent, timeZone: string): HTMLElement {
  const isCustom = event.type === 'event';
  return h(
    'li',
    { class: isCustom ? 'event custom' : 'event pageview', 'data-testid': 'journey-event', 'data-event-type': event.type },
    h('time', { datetime: event.time }, formatTime(event.time, timeZone)),
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

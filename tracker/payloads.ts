// What goes on the wire. The collector validates each body with a strict schema that rejects unknown
// keys and nulls, so optional fields are left `undefined`, which JSON.stringify omits.

import { eventId, personId } from './ids.ts';

export type Scalar = string | number | boolean;

/** Who is sending: copied into every event, so only wire fields. Consent calls change the last two. */
export interface Sender {
  site: string;
  visitor?: string;
  /** Only on sites in consent mode (data-require-consent), once the visitor agreed: the collector then follows `visitor`. */
  consent?: true;
}

interface Common {
  site: string;
  /** Client-generated event id: the collector stores each id once. */
  id: string;
  visitor?: string;
  consent?: true;
  url: string;
  /** Client clock when the event happened, ms since the epoch. */
  time: number;
  /** Client clock when the request left (set by the sender): the collector dates the event by the wait between the two. */
  sent?: number;
  /** Present (true) only when the browser is driven by automation: the collector drops such traffic. */
  webdriver?: true;
}

export interface Pageview extends Common {
  type: 'pageview';
  referrer?: string;
  title?: string;
  description?: string;
  keywords?: string;
  ogTitle?: string;
  ogDescription?: string;
  /** The document's lang attribute: what the page is written in (`language` is the browser's). */
  lang?: string;
  screenWidth?: number;
  screenHeight?: number;
  viewportWidth?: number;
  viewportHeight?: number;
  language?: string;
  timeZone?: string;
}

export interface WaymarkEvent extends Common {
  type: 'event';
  name: string;
  props?: Record<string, Scalar>;
}

export interface Identify extends Common {
  type: 'identify';
  /** SHA-256 of the trimmed, lower-cased address or user id (personId in ids.ts): never the address itself. */
  person: string;
  traits?: Record<string, Scalar>;
}

/** How long a pageview was visible and how far it was scrolled, so far (engagement.ts): the collector keeps the largest figures. */
export interface Engagement extends Common {
  type: 'engagement';
  /** The id the pageview was sent with. */
  pageview: string;
  engagedMs: number;
  scrollDepth: number;
}

function common(sender: Sender): Common {
  return {
    ...sender,
    id: eventId(),
    url: location.href.slice(0, 2048),
    time: Date.now(),
    webdriver: navigator.webdriver || undefined,
  };
}

// Lengths below are the collector's limits (collector/event-schema.ts), written as literals because
// esbuild keeps named constants as variables. Cutting here keeps one over-long field (a URL with a
// huge query string, a long title) from getting the whole event rejected.

/** The content of the page's first `<meta>` with this attribute. */
const meta = (attribute: string) => document.querySelector<HTMLMetaElement>(`meta[${attribute}]`)?.content;

export function pageview(sender: Sender, referrer: string): Pageview {
  return {
    ...common(sender),
    type: 'pageview',
    referrer: referrer.slice(0, 2048) || undefined,
    title: document.title.slice(0, 512) || undefined,
    description: meta('name=description')?.slice(0, 1024) || undefined,
    // What the page says it is about, for the themes the collector scores it on.
    keywords: meta('name=keywords')?.slice(0, 512) || undefined,
    ogTitle: meta('property="og:title"')?.slice(0, 512) || undefined,
    ogDescription: meta('property="og:description"')?.slice(0, 1024) || undefined,
    screenWidth: screen.width || undefined,
    screenHeight: screen.height || undefined,
    viewportWidth: innerWidth || undefined,
    viewportHeight: innerHeight || undefined,
    language: navigator.language.slice(0, 35) || undefined,
    // The page's own language (its lang attribute), where `language` is the browser's.
    lang: document.documentElement.lang.slice(0, 35) || undefined,
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || undefined,
  };
}

export function customEvent(sender: Sender, name: string, props: unknown): WaymarkEvent {
  return { ...common(sender), type: 'event', name: name.slice(0, 100), props: flatProps(props) };
}

/** About `view`, so with its URL: a single-page app has moved on to the next URL by the time it reports. */
export function engagement(sender: Sender, view: Pageview, engagedMs: number, scrollDepth: number): Engagement {
  return { ...common(sender), type: 'engagement', url: view.url, pageview: view.id, engagedMs, scrollDepth };
}

/** Built when called (URL, time), complete once the person id is hashed; rejects when it cannot be. */
export function identify(sender: Sender, address: string, traits: unknown): Promise<Identify> {
  const event = { ...common(sender), type: 'identify' as const, traits: flatProps(traits) };
  return personId(address).then((person) => ({ ...event, person }));
}

/**
 * Custom properties (and identify's traits) are flat scalars: nested objects, arrays, null, undefined
 * and non-finite numbers (which JSON would turn into null) are dropped rather than failing the whole event.
 */
export function flatProps(props: unknown): Record<string, Scalar> | undefined {
  if (!props || typeof props != 'object') return;
  const flat: Record<string, Scalar> = {};
  let count = 0;
  for (const key of Object.keys(props)) {
    if (!key) continue; // the collector rejects empty keys
    let value = (props as Record<string, unknown>)[key];
    if (typeof value == 'string') value = value.slice(0, 512);
    else if (typeof value != 'boolean' && !Number.isFinite(value)) continue;
    flat[key.slice(0, 64)] = value as Scalar;
    if (++count == 30) break;
  }
  return count ? flat : undefined;
}

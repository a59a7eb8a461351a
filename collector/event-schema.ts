import { z } from 'zod';
import { MAX_CLIENT_HINT_BRANDS, MAX_CLIENT_HINT_LENGTH } from '../enrich/client-hints.ts';

/** Documented limits of `POST /e` (README, "HTTP API"). */
export const MAX_BODY_BYTES = 64 * 1024; // sendBeacon and fetch(keepalive) share a 64 KB budget per page
export const MAX_EVENTS_PER_BATCH = 50;
export const MAX_PROPS = 30;

// Client ids are random tokens from the tracker; a tight alphabet keeps them safe to log and to put in URLs.
const clientId = z
  .string()
  .min(8)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'only letters, digits, "_" and "-"');

// A registered site is a host name, as in the tag's data-site attribute.
export const siteDomain = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/, 'a lower-case host name such as example.com');

const pageUrl = z
  .string()
  .max(2048)
  .refine((value) => /^https?:\/\//i.test(value) && URL.canParse(value), 'an absolute http(s) URL');

const pixels = z.number().int().min(0).max(100_000);

const hintText = z.string().max(MAX_CLIENT_HINT_LENGTH);
const brandList = z.array(z.strictObject({ brand: hintText, version: hintText })).max(MAX_CLIENT_HINT_BRANDS);

/** `navigator.userAgentData`, which gives back what Chrome's reduced user agent hides (OS version, model). */
export const clientHintsSchema = z.strictObject({
  brands: brandList.optional(),
  fullVersionList: brandList.optional(),
  mobile: z.boolean().optional(),
  platform: hintText.optional(),
  platformVersion: hintText.optional(),
  model: hintText.optional(),
  architecture: hintText.optional(),
  bitness: hintText.optional(),
  // iPadOS Safari sends a Mac user agent and no userAgentData: a touch screen is what tells them apart.
  maxTouchPoints: z.number().int().min(0).max(1000).optional(),
});

const deviceClock = z.number().int().min(0).max(8.64e15);

const common = {
  site: siteDomain,
  id: clientId,
  visitor: clientId.optional(),
  url: pageUrl,
  /** When the event happened, on the device's clock (ms since the epoch). */
  time: deviceClock.optional(),
  // When the request left the device, on the same clock: with `time` it gives how long the event
  // waited (an offline queue, a late beacon) whatever the device's clock is set to.
  sent: deviceClock.optional(),
  // Sent only when true: the visitor agreed to be followed (waymark('consent', true)) on a site that asks first.
  consent: z.literal(true).optional(),
  // Sent only when true: a browser driven by automation says so, whatever its user agent claims.
  webdriver: z.literal(true).optional(),
  hints: clientHintsSchema.optional(),
};

export const pageviewSchema = z.strictObject({
  type: z.literal('pageview'),
  ...common,
  // Referrers can be any scheme (android-app://), so only the length is bounded here; enrich classifies it.
  referrer: z.string().max(2048).optional(),
  title: z.string().max(512).optional(),
  description: z.string().max(1024).optional(),
  // What the page says it is about, for its themes: meta keywords, Open Graph title and description,
  // and the document's lang attribute.
  keywords: z.string().max(512).optional(),
  ogTitle: z.string().max(512).optional(),
  ogDescription: z.string().max(1024).optional(),
  lang: z.string().max(35).optional(),
  screenWidth: pixels.optional(),
  screenHeight: pixels.optional(),
  viewportWidth: pixels.optional(),
  viewportHeight: pixels.optional(),
  language: z.string().max(35).optional(),
  timeZone: z.string().max(64).optional(),
});

const propValue = z.union([z.string().max(512), z.number().finite(), z.boolean()]);
const flatProps = z
  .record(z.string().min(1).max(64), propValue)
  .refine((props) => Object.keys(props).length <= MAX_PROPS, `at most ${MAX_PROPS} properties`);

export const customEventSchema = z.strictObject({
  type: z.literal('event'),
  ...common,
  name: z.string().min(1).max(100),
  props: flatProps.optional(),
});

/** A person id: the SHA-256, in lower-case hex, of a trimmed, lower-cased e-mail address or user id. */
export const personId = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in lower-case hex (64 characters)');

/** `waymark('identify', emailOrUserId, traits)`: the tracker hashes the address before sending it. */
export const identifySchema = z.strictObject({
  type: z.literal('identify'),
  ...common,
  person: personId,
  traits: flatProps.optional(),
});

/** The longest a page can have been visible that is believed: a day. */
export const MAX_ENGAGED_MS = 24 * 60 * 60 * 1000;

/** Sent when a page is hidden or left: how long it was visible so far, and the deepest scroll (percent). */
export const engagementSchema = z.strictObject({
  type: z.literal('engagement'),
  ...common,
  pageview: clientId,
  engagedMs: z.number().int().min(0).max(MAX_ENGAGED_MS),
  scrollDepth: z.number().int().min(0).max(100).optional(),
});

export const trackedEventSchema = z.discriminatedUnion('type', [pageviewSchema, customEventSchema, identifySchema, engagementSchema]);

const batchSchema = z
  .array(trackedEventSchema)
  .min(1, 'an empty batch')
  .max(MAX_EVENTS_PER_BATCH, `at most ${MAX_EVENTS_PER_BATCH} events`);

export type PageviewEvent = z.infer<typeof pageviewSchema>;
export type CustomEvent = z.infer<typeof customEventSchema>;
export type IdentifyEvent = z.infer<typeof identifySchema>;
export type EngagementEvent = z.infer<typeof engagementSchema>;
export type TrackedEvent = z.infer<typeof trackedEventSchema>;

export type ParseResult = { ok: true; events: TrackedEvent[] } | { ok: false; error: string };

/**
 * Validates a decoded body. The reason names the first offending field by its path
 * (`1.url: ...` for the second event of a batch), so a site owner can find it.
 */
export function parseBatch(body: unknown): ParseResult {
  const result = Array.isArray(body) ? batchSchema.safeParse(body) : trackedEventSchema.transform((event) => [event]).safeParse(body);
  if (result.success) return { ok: true, events: result.data };
  return { ok: false, error: describeIssue(result.error.issues[0]) };
}

function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'invalid event';
  const path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const where = path ? `${path}: ` : '';
    return `${where}unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  }
  if (issue.code === 'too_big' && issue.origin === 'string') {
    return `${path || 'value'} longer than ${issue.maximum} characters`;
  }
  return path ? `${path}: ${issue.message}` : issue.message;
}

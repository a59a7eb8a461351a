/**
 * The session rules, kept apart from storage so they can be tested with plain values
 * and applied identically at ingest and by `waymark rebuild`.
 */
import { localDay } from './local-time.ts';

export const DEFAULT_SESSION_TIMEOUT_MS = 30 * 60 * 1000;

/** What the sessionizer remembers of a visitor's latest session. */
export interface OpenSession {
  id: number;
  startedAt: number;
  lastSeenAt: number;
  /** The campaign the visit arrived with (see campaignKey); null for an untagged visit. */
  campaignKey: string | null;
}

/** Who a moment of a visitor's history belongs to (collector/store/people.ts); null: nobody identified. */
export type PersonAt = (time: number) => string | null;

/** The site's rules for cutting visits. */
export interface SessionRules {
  timeoutMs: number;
  timeZone: string;
}

/**
 * A visit ends after `timeoutMs` without an event, at midnight in the site's time zone, when a new
 * campaign arrives (other tags or another click id), or when the device passes to another person
 * (someone else identified on it: two people's visits never mix). An event stamped earlier than
 * the visit's last one (a late beacon) still belongs to it while within the same window and day.
 */
export function continuesSession(
  open: OpenSession | undefined,
  event: { time: number; campaignKey: string | null },
  rules: SessionRules,
  personAt: PersonAt = () => null,
): open is OpenSession {
  if (!open) return false;
  // Anonymous visits before a login are the person's (their range reaches back), so a first login never cuts.
  if (personAt(event.time) !== personAt(open.startedAt)) return false;
  if (event.time - open.lastSeenAt > rules.timeoutMs || open.startedAt - event.time > rules.timeoutMs) return false;
  if (localDay(event.time, rules.timeZone) !== localDay(open.startedAt, rules.timeZone)) return false;
  // An event without tags (the next page of the visit) continues whatever campaign brought it.
  return event.campaignKey === null || event.campaignKey === open.campaignKey;
}

/** What identifies a campaign for the session rules; null when the event carries none. */
export function campaignKey(campaign: { utmSource: string | null; utmMedium: string | null; utmCampaign: string | null; clickId: string | null }): string | null {
  const { utmSource, utmMedium, utmCampaign, clickId } = campaign;
  if (utmSource === null && utmMedium === null && utmCampaign === null && clickId === null) return null;
  return JSON.stringify([utmSource, utmMedium, utmCampaign, clickId]);
}

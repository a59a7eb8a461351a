/**
 * The session rules, kept apart from storage so they can be tested with plain values
 * and applied identically at ingest and by `waymark rebuild`.
 */

export const DEFAULT_SESSION_TIMEOUT_MS = 30 * 60 * 1000;

/** What the sessionizer remembers of a visitor's latest session. */
export interface OpenSession {
  id: number;
  startedAt: number;
  lastSeenAt: number;
}

/**
 * A visit ends after `timeoutMs` without an event. An event stamped earlier than the
 * session's last one (a late beacon) still belongs to it while within the same window.
 */
export function continuesSession(open: OpenSession | undefined, eventTime: number, timeoutMs: number): open is OpenSession {
  if (!open) return false;
  return eventTime - open.lastSeenAt <= timeoutMs && open.startedAt - eventTime <= timeoutMs;
}

import type { Drop, EnrichedEvent, Engagement, WriteBatch } from '../enriched-event.ts';
import type { Db } from './database.ts';
import { createInterestKeeper, type InterestKeeper } from './interest.ts';
import { createPageTexts } from './page-texts.ts';
import { createPeopleStore } from './people.ts';
import { createSessionDeriver, LATE, type SessionDeriverOptions } from './session-deriver.ts';

export interface WriteCounts {
  inserted: number;
  duplicates: number;
}

/**
 * Appends raw events and identify calls (the sources of truth) and keeps the derived sessions,
 * visitors and people current. Runs inside the writer's transaction; `forgetHotState` after a rollback.
 */
export interface EventStore {
  append(batch: WriteBatch): WriteCounts;
  countDrops(drops: readonly Drop[]): void;
  forgetHotState(): void;
  /** The interest kept at ingest, for the scorer's results and a site's recompute to share its state. */
  readonly interest: InterestKeeper;
}

export function createEventStore(db: Db, options: SessionDeriverOptions = {}): EventStore {
  const sessions = createSessionDeriver(db, options);
  const people = createPeopleStore(db);
  const pageTexts = createPageTexts(db);
  const interest = createInterestKeeper(db);
  const eventExists = db.prepare('SELECT 1 FROM events WHERE site_id = ? AND event_id = ?').pluck();
  const insertEvent = db.prepare(`
    INSERT INTO events (site_id, event_id, ts, client_ts, type, name, props, visitor_id, session_id, url, host, path,
      title, description, referrer, referrer_host, medium, source, search_term, utm_source, utm_medium, utm_campaign, utm_term, utm_content, click_id,
      browser, browser_version, os, os_version, device_type, country, region, city, geo_time_zone,
      asn, as_organization, anonymous_network, screen_width, screen_height, viewport_width, viewport_height, language, time_zone)
    VALUES (@siteId, @eventId, @time, @clientTime, @type, @name, @props, @visitorId, @sessionId, @url, @host, @path,
      @title, @description, @referrer, @referrerHost, @medium, @source, @searchTerm, @utmSource, @utmMedium, @utmCampaign, @utmTerm, @utmContent, @clickId,
      @browser, @browserVersion, @os, @osVersion, @deviceType, @country, @region, @city, @geoTimeZone,
      @asn, @asOrganization, @anonymousNetwork, @screenWidth, @screenHeight, @viewportWidth, @viewportHeight, @language, @timeZone)`);
  const upsertEngagement = db.prepare(`
    INSERT INTO engagements (site_id, pageview_id, visitor_id, ts, engaged_ms, scroll_depth)
    VALUES (@siteId, @pageviewId, @visitorId, @time, @engagedMs, @scrollDepth)
    ON CONFLICT (site_id, pageview_id) DO UPDATE SET
      ts = max(ts, excluded.ts),
      engaged_ms = max(engaged_ms, excluded.engaged_ms),
      scroll_depth = CASE WHEN scroll_depth IS NULL OR excluded.scroll_depth > scroll_depth THEN excluded.scroll_depth ELSE scroll_depth END`);
  function recordEngagement(engagement: Engagement) {
    const before = interest.engagedMs(engagement.siteId, engagement.pageviewId);
    upsertEngagement.run(engagement);
    interest.engagement(engagement.siteId, engagement.pageviewId, before, engagement.engagedMs);
  }
  const countDrop = db.prepare(`
    INSERT INTO drops (site_id, day, reason, count) VALUES (?, ?, ?, 1)
    ON CONFLICT (site_id, day, reason) DO UPDATE SET count = count + 1`);

  function appendOne(event: EnrichedEvent): boolean {
    // Replays (a retried beacon, a re-sent batch) are acknowledged again but stored once.
    if (eventExists.get(event.siteId, event.eventId)) return false;
    const row = toRow(event);
    const sessionId = sessions.derive(row);
    const rowId = Number(insertEvent.run({ ...row, sessionId: sessionId === LATE ? null : sessionId }).lastInsertRowid);
    // The text first: a pageview that brings a page's new text waits for the page to be scored.
    if (event.type === 'pageview') pageTexts.record(event);
    if (sessionId === LATE) {
      // The visits cut again are new rows: their interest, this event's included, is counted again.
      interest.recountVisits(row.siteId, row.visitorId, sessions.rederive(row.siteId, row.visitorId, row.time, row));
    } else if (event.type === 'pageview') {
      interest.pageview({ siteId: row.siteId, rowId, eventId: row.eventId, path: row.path, sessionId });
    }
    return true;
  }

  return {
    append({ events, identities = [], engagements = [] }) {
      let inserted = 0;
      for (const event of events) if (appendOne(event)) inserted++;
      for (const identity of identities) {
        const claimed = people.claim(identity);
        if (!claimed) continue;
        inserted++;
        sessions.forgetPerson(identity.siteId, identity.visitorId);
        // The device passed to another person inside or between visits already cut: cut them again from
        // there (their interest with them). A first login cuts nothing: the anonymous visits become the person's.
        if (claimed.cutFrom !== null) {
          const from = sessions.rederive(identity.siteId, identity.visitorId, claimed.cutFrom, identity);
          interest.recountVisits(identity.siteId, identity.visitorId, from);
        }
      }
      // A page hidden several times reports each time: every report is new, none a duplicate.
      for (const engagement of engagements) recordEngagement(engagement);
      return { inserted: inserted + engagements.length, duplicates: events.length + identities.length - inserted };
    },
    countDrops(drops) {
      for (const drop of drops) countDrop.run(drop.siteId, drop.day, drop.reason);
    },
    interest,
    forgetHotState() {
      sessions.forget();
      pageTexts.forget();
      interest.forget();
    },
  };
}

function toRow(event: EnrichedEvent) {
  return {
    siteId: event.siteId,
    siteTimeZone: event.siteTimeZone,
    sessionTimeoutMs: event.sessionTimeoutMs,
    eventId: event.eventId,
    time: event.time,
    clientTime: event.clientTime,
    type: event.type,
    isPageview: event.type === 'pageview' ? (1 as const) : (0 as const),
    name: event.name,
    props: event.props ? JSON.stringify(event.props) : null,
    visitorId: event.visitorId,
    url: event.url,
    host: event.host,
    path: event.path,
    title: event.title,
    description: event.description,
    referrer: event.referrer,
    referrerHost: event.referrerHost,
    medium: event.source.medium,
    source: event.source.source,
    searchTerm: event.source.term,
    utmSource: event.campaign.source,
    utmMedium: event.campaign.medium,
    utmCampaign: event.campaign.campaign,
    utmTerm: event.campaign.term,
    utmContent: event.campaign.content,
    clickId: event.campaign.clickId,
    browser: event.device.browser,
    browserVersion: event.device.browserVersion,
    os: event.device.os,
    osVersion: event.device.osVersion,
    deviceType: event.device.deviceType,
    country: event.place.country,
    region: event.place.region,
    city: event.place.city,
    geoTimeZone: event.place.timeZone,
    asn: event.place.asn,
    asOrganization: event.place.asOrganization,
    anonymousNetwork: event.place.anonymousNetwork === null ? null : Number(event.place.anonymousNetwork),
    screenWidth: event.screenWidth,
    screenHeight: event.screenHeight,
    viewportWidth: event.viewportWidth,
    viewportHeight: event.viewportHeight,
    language: event.language,
    timeZone: event.timeZone,
  };
}

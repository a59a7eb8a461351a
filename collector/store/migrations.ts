/**
 * Numbered schema migrations, applied in order at start inside one transaction each.
 * Never edit a migration that has shipped: add the next number.
 *
 * `events` is the source of truth. `sessions`, `visitors` and `drops` are derived at ingest
 * and can be rebuilt from `events` (`waymark rebuild`). Indexes are few and append-friendly:
 * each one costs ingest throughput (DESIGN.md, "Measured").
 */
export const migrations: { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'events, sessions, visitors',
    sql: `
      CREATE TABLE sites (
        id INTEGER PRIMARY KEY,
        domain TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL
      );

      CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        site_id INTEGER NOT NULL REFERENCES sites (id),
        event_id TEXT NOT NULL,
        ts INTEGER NOT NULL,
        client_ts INTEGER,
        type TEXT NOT NULL CHECK (type IN ('pageview', 'event')),
        name TEXT,
        props TEXT,
        visitor_id TEXT NOT NULL,
        session_id INTEGER,
        url TEXT NOT NULL,
        host TEXT NOT NULL,
        path TEXT NOT NULL,
        title TEXT,
        description TEXT,
        referrer TEXT,
        referrer_host TEXT,
        medium TEXT,
        source TEXT,
        search_term TEXT,
        utm_source TEXT,
        utm_medium TEXT,
        utm_campaign TEXT,
        utm_term TEXT,
        utm_content TEXT,
        click_id TEXT,
        browser TEXT,
        browser_version TEXT,
        os TEXT,
        os_version TEXT,
        device_type TEXT,
        country TEXT,
        region TEXT,
        city TEXT,
        geo_time_zone TEXT,
        asn INTEGER,
        as_organization TEXT,
        anonymous_network INTEGER,
        screen_width INTEGER,
        screen_height INTEGER,
        viewport_width INTEGER,
        viewport_height INTEGER,
        language TEXT,
        time_zone TEXT
      );
      -- Replays of the same client event id are stored once.
      CREATE UNIQUE INDEX events_site_event_id ON events (site_id, event_id);
      CREATE INDEX events_site_ts ON events (site_id, ts);
      CREATE INDEX events_session ON events (session_id);

      CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        site_id INTEGER NOT NULL REFERENCES sites (id),
        visitor_id TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL,
        entry_path TEXT NOT NULL,
        exit_path TEXT NOT NULL,
        pageviews INTEGER NOT NULL,
        events INTEGER NOT NULL,
        referrer TEXT,
        medium TEXT,
        source TEXT,
        search_term TEXT,
        utm_source TEXT,
        utm_medium TEXT,
        utm_campaign TEXT,
        country TEXT,
        region TEXT,
        city TEXT,
        browser TEXT,
        os TEXT,
        device_type TEXT
      );
      CREATE INDEX sessions_site_started ON sessions (site_id, started_at);
      CREATE INDEX sessions_site_visitor ON sessions (site_id, visitor_id, started_at);

      -- Written when a visit starts, not on every event: a visitor's pageviews and last activity are
      -- read from its sessions, which saves a random write per event (bench/: about a fifth of ingest).
      CREATE TABLE visitors (
        site_id INTEGER NOT NULL REFERENCES sites (id),
        visitor_id TEXT NOT NULL,
        first_seen_at INTEGER NOT NULL,
        last_visit_at INTEGER NOT NULL,
        first_source TEXT,
        sessions INTEGER NOT NULL,
        PRIMARY KEY (site_id, visitor_id)
      ) WITHOUT ROWID;
      CREATE INDEX visitors_site_last_visit ON visitors (site_id, last_visit_at);

      -- Traffic filtered out at ingest, per site, UTC day and reason, so operators can see what was dropped.
      CREATE TABLE drops (
        site_id INTEGER NOT NULL REFERENCES sites (id),
        day TEXT NOT NULL,
        reason TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (site_id, day, reason)
      ) WITHOUT ROWID;

      -- Daily secret for anonymous visitor ids (no-script pixel, no device id): ids cannot be followed across days.
      CREATE TABLE salts (
        day TEXT PRIMARY KEY,
        secret BLOB NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    name: 'site settings: time zone, session timeout, retention, hash routing, query keys',
    sql: `
      -- Visits end at midnight in the site's time zone, as its owner counts days.
      ALTER TABLE sites ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
      -- NULL: the collector's WAYMARK_SESSION_TIMEOUT_MINUTES.
      ALTER TABLE sites ADD COLUMN session_timeout_minutes INTEGER;
      -- NULL: the collector's WAYMARK_RETENTION_DAYS (none: raw events are kept).
      ALTER TABLE sites ADD COLUMN retention_days INTEGER;
      -- Single-page apps that route by fragment (/#/pricing) count each route as a page.
      ALTER TABLE sites ADD COLUMN hash_routing INTEGER NOT NULL DEFAULT 0;
      -- Query keys kept besides the campaign keys, as a JSON array (a product id, a page number).
      ALTER TABLE sites ADD COLUMN query_keys TEXT NOT NULL DEFAULT '[]';
      -- A new campaign (tags or click id) starts a new visit: the open visit's campaign is compared.
      ALTER TABLE sessions ADD COLUMN click_id TEXT;
    `,
  },
  {
    version: 3,
    name: 'people: identity claims, person ranges of visitors, CRM traits; consent per site',
    sql: `
      -- Raw identify calls, a source of truth like events: "this visitor is this person from now on".
      -- person_id is the SHA-256 (hex) of the trimmed, lower-cased e-mail or user id; no clear address is stored.
      CREATE TABLE identities (
        id INTEGER PRIMARY KEY,
        site_id INTEGER NOT NULL REFERENCES sites (id),
        event_id TEXT NOT NULL,
        ts INTEGER NOT NULL,
        visitor_id TEXT NOT NULL,
        person_id TEXT NOT NULL,
        traits TEXT
      );
      CREATE UNIQUE INDEX identities_site_event_id ON identities (site_id, event_id);
      CREATE INDEX identities_site_visitor ON identities (site_id, visitor_id, ts);
      CREATE INDEX identities_site_person ON identities (site_id, person_id);

      -- Derived from identities: the part [from_ts, until_ts) of a visitor's history that belongs to a
      -- person. A claim covers the visitor's history back to its start and up to the next claim by
      -- another person, so two people who shared a device once never merge.
      CREATE TABLE person_visitors (
        site_id INTEGER NOT NULL REFERENCES sites (id),
        visitor_id TEXT NOT NULL,
        from_ts INTEGER NOT NULL,
        until_ts INTEGER NOT NULL,
        person_id TEXT NOT NULL,
        PRIMARY KEY (site_id, visitor_id, from_ts)
      ) WITHOUT ROWID;
      CREATE INDEX person_visitors_person ON person_visitors (site_id, person_id);

      -- Derived from identities: each person, with the traits of its identify calls (a later value wins).
      CREATE TABLE people (
        site_id INTEGER NOT NULL REFERENCES sites (id),
        person_id TEXT NOT NULL,
        first_identified_at INTEGER NOT NULL,
        last_identified_at INTEGER NOT NULL,
        traits TEXT NOT NULL DEFAULT '{}',
        PRIMARY KEY (site_id, person_id)
      ) WITHOUT ROWID;

      -- Imported from a CRM export keyed by e-mail (hashed on read): may name people not yet identified.
      CREATE TABLE crm_traits (
        site_id INTEGER NOT NULL REFERENCES sites (id),
        person_id TEXT NOT NULL,
        traits TEXT NOT NULL,
        imported_at INTEGER NOT NULL,
        PRIMARY KEY (site_id, person_id)
      ) WITHOUT ROWID;

      -- Sites that may follow a visitor only after waymark('consent', true): other visitor ids are ignored.
      ALTER TABLE sites ADD COLUMN require_consent INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 4,
    name: 'engagement: visible time and scroll depth per pageview',
    sql: `
      -- What the tracker reports when a page is hidden or left: how long it was visible and how far
      -- it was scrolled. A page hidden several times reports growing figures; the largest are kept.
      CREATE TABLE engagements (
        site_id INTEGER NOT NULL REFERENCES sites (id),
        pageview_id TEXT NOT NULL,
        visitor_id TEXT NOT NULL,
        ts INTEGER NOT NULL,
        engaged_ms INTEGER NOT NULL,
        scroll_depth INTEGER,
        PRIMARY KEY (site_id, pageview_id)
      ) WITHOUT ROWID;
      CREATE INDEX engagements_site_ts ON engagements (site_id, ts);
    `,
  },
  {
    version: 5,
    name: 'themes: definitions and rules, page texts and scores, daily interest, segments',
    sql: `
      -- A site's themes, as its marketers describe them: a name and one descriptive sentence.
      CREATE TABLE themes (
        site_id INTEGER NOT NULL REFERENCES sites (id),
        theme_id TEXT NOT NULL,
        name TEXT NOT NULL,
        description TEXT NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (site_id, theme_id)
      ) WITHOUT ROWID;
      -- Rules that override the model for a theme: a URL pattern or words that force or forbid it.
      CREATE TABLE theme_rules (
        site_id INTEGER NOT NULL REFERENCES sites (id),
        position INTEGER NOT NULL,
        theme_id TEXT NOT NULL,
        effect TEXT NOT NULL CHECK (effect IN ('force', 'forbid')),
        url_pattern TEXT,
        words TEXT,
        PRIMARY KEY (site_id, position)
      ) WITHOUT ROWID;
      -- Bumped by every change of themes or rules: pages scored under an older version are scored again.
      ALTER TABLE sites ADD COLUMN themes_version INTEGER NOT NULL DEFAULT 0;
      -- The themes version the daily interest rows were last computed for as a whole: after a change,
      -- once every page is scored again, interest is computed again from the raw events.
      ALTER TABLE sites ADD COLUMN interest_version INTEGER NOT NULL DEFAULT 0;
      -- Last month counts more than last year: lifetime interest halves every this many days.
      ALTER TABLE sites ADD COLUMN interest_half_life_days INTEGER NOT NULL DEFAULT 30;

      -- One text per page (site, normalised path): the latest the tracker sent. A page is scored again
      -- only when its text or the site's themes change (scored_text / scored_version).
      CREATE TABLE page_texts (
        site_id INTEGER NOT NULL REFERENCES sites (id),
        path TEXT NOT NULL,
        url TEXT NOT NULL,
        text TEXT NOT NULL,
        lang TEXT,
        updated_at INTEGER NOT NULL,
        scored_text TEXT,
        scored_version INTEGER,
        -- The "no theme" reference's score: a theme had to beat it to be chosen.
        scored_none REAL,
        PRIMARY KEY (site_id, path)
      ) WITHOUT ROWID;

      -- What each page is about: every theme's score, whether it was chosen, and the words that drove it.
      CREATE TABLE page_themes (
        site_id INTEGER NOT NULL REFERENCES sites (id),
        path TEXT NOT NULL,
        theme_id TEXT NOT NULL,
        score REAL NOT NULL,
        chosen INTEGER NOT NULL,
        words TEXT NOT NULL,
        ruled TEXT,
        PRIMARY KEY (site_id, path, theme_id)
      ) WITHOUT ROWID;
      CREATE INDEX page_themes_chosen ON page_themes (site_id, theme_id) WHERE chosen = 1;

      -- A visit's interest in each theme, {themeId: [interest, pageviews]}: engaged minutes on the theme's
      -- pages, each weighted by how much the page is about it (collector/store/interest.ts). Visits end at
      -- midnight in the site's time zone, so this is the visitor's interest of that day.
      ALTER TABLE sessions ADD COLUMN interest TEXT;
      -- Pageviews of pages not scored yet (new text, or themes just changed): applied once the page is.
      CREATE TABLE interest_pending (
        site_id INTEGER NOT NULL REFERENCES sites (id),
        path TEXT NOT NULL,
        event_id TEXT NOT NULL,
        PRIMARY KEY (site_id, path, event_id)
      ) WITHOUT ROWID;

      -- Segments: people and visitors with a sustained interest in a theme.
      CREATE TABLE segments (
        id INTEGER PRIMARY KEY,
        site_id INTEGER NOT NULL REFERENCES sites (id),
        name TEXT NOT NULL,
        definition TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX segments_site ON segments (site_id);
    `,
  },
  {
    version: 6,
    name: 'daily aggregates that outlive retention',
    sql: `
      -- Anonymous per-day figures of a site, rolled up before retention deletes the day's raw events, so
      -- charts of old periods keep their shape. 'total' has one row per day (value ''); the others one
      -- per page, source ([source, medium] as JSON), channel, country, browser or device type.
      CREATE TABLE daily_aggregates (
        site_id INTEGER NOT NULL REFERENCES sites (id),
        day TEXT NOT NULL,
        dimension TEXT NOT NULL CHECK (dimension IN ('total', 'page', 'source', 'channel', 'country', 'browser', 'device')),
        value TEXT NOT NULL,
        pageviews INTEGER NOT NULL,
        visitors INTEGER NOT NULL,
        sessions INTEGER NOT NULL,
        bounces INTEGER NOT NULL,
        duration_ms INTEGER NOT NULL,
        PRIMARY KEY (site_id, dimension, day, value)
      ) WITHOUT ROWID;
      -- The last day rolled up: later days are read from the raw events.
      ALTER TABLE sites ADD COLUMN aggregated_through TEXT;
      -- On by default: the aggregates name no one. Off: days past retention leave nothing behind.
      ALTER TABLE sites ADD COLUMN keep_daily_aggregates INTEGER NOT NULL DEFAULT 1;
    `,
  },
];

import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { serve } from '@hono/node-server';
import { bundledGeoPaths, openGeo } from '../enrich/geo.ts';
import { createUserAgentParser } from '../enrich/user-agent.ts';
import { createDashboardQueries } from '../dashboard/queries.ts';
import { createSegmentQueries } from '../dashboard/segment-queries.ts';
import { createSegmentStore } from '../dashboard/segment-store.ts';
import { createThemeQueries } from '../dashboard/theme-queries.ts';
import { resolveAdminToken } from './admin-token.ts';
import { createAnonymousVisitorIds } from './anonymous-visitor.ts';
import { createApp, loadBuiltAssets } from './app.ts';
import { loadAsset } from './assets.ts';
import { siteThemesSchema } from './theme-schema.ts';
import { createClientAddressResolver } from './client-address.ts';
import type { Config } from './config.ts';
import { createIngest, type IngestDeps, type SiteRules } from './ingest.ts';
import { createPageviewRate } from './pageview-rate.ts';
import { ReasonCounter } from './reason-counter.ts';
import { scheduleRetention } from './retention-schedule.ts';
import { createSiteRegistry, type Site } from './sites.ts';
import { openDatabase } from './store/database.ts';
import type { PurgeCounts } from './store/retention.ts';
import { createThemeStore } from './store/themes.ts';
import { startThemeScoring, type ThemeScoring } from './theme-scoring.ts';
import { readThemesFile } from './themes-file.ts';
import { startWriterThread } from './writer.ts';

/** The demo page's site, registered at start when the demo is on. */
export const DEMO_SITE = 'demo.localhost';
const CLOSE_GRACE_MS = 10_000;

export interface RunningCollector {
  url: string;
  port: number;
  adminToken: string;
  /**
   * Runs the retention purge now rather than at the next hour (it also runs at start): for
   * operators' tools and tests, which move the clock and need the purge to follow.
   */
  purgeNow(): Promise<PurgeCounts>;
  /** Page scoring and interest, running in the background (tests wait for `themes.idle()`). */
  themes: ThemeScoring;
  /** Stops taking requests, commits what was accepted, closes the file. */
  close(): Promise<void>;
}

export interface StartOptions {
  now?: () => number;
  log?: (line: string) => void;
}

/**
 * Opens everything in dependency order (assets, geo database, SQLite file) so a bad setting
 * fails before the port is taken, then serves.
 */
export async function startCollector(config: Config, { now = Date.now, log = console.log }: StartOptions = {}): Promise<RunningCollector> {
  const assets = loadBuiltAssets();
  const geoPaths = config.geoip.length > 0 ? config.geoip : bundledGeoPaths();
  // Watched, so a weekly GeoLite2 download takes effect without a restart.
  const geo = openGeo(geoPaths, { watch: true, onReload: (message) => log(`geo database: ${message}`), onError: (message) => log(`geo database: ${message}`) });
  log(`geo database: ${geo.describe()}`);
  if (config.geoip.length === 0) {
    log('  (the bundled default; for accurate, weekly-updated places set WAYMARK_GEOIP to MaxMind\'s GeoLite2-City.mmdb)');
  }

  const db = openDatabase(config.db, { synchronous: config.sync });
  const readDb = openDatabase(config.db, { readonly: true });
  const { token: adminToken, file: tokenFile } = resolveAdminToken(config.adminToken, config.db);

  const demoSite = config.demo ? DEMO_SITE : null;
  const configuredSites = config.sites.length > 0 && demoSite ? [...config.sites, demoSite] : config.sites;
  const sites = createSiteRegistry(db, { configured: configuredSites, now });
  if (demoSite) sites.resolve(demoSite);
  const themeStore = createThemeStore(db);
  // The demo site starts with a few themes, so a fresh install shows them; its owner may change them.
  if (demoSite) {
    const demo = sites.resolve(demoSite)!;
    if (themeStore.read(demo.id).version === 0) themeStore.replace(demo.id, siteThemesSchema.parse(JSON.parse(loadAsset('collector/demo/themes.json', 'application/json').body.toString('utf8'))));
  }
  // Themes from the file replace the listed sites' themes; unchanged ones keep their scores.
  if (config.themes) {
    for (const [domain, siteThemes] of readThemesFile(config.themes)) {
      const site = sites.resolve(domain);
      if (!site) throw new Error(`WAYMARK_THEMES: site "${domain}" is not registered (WAYMARK_SITES lists the sites)`);
      themeStore.replace(site.id, siteThemes);
    }
  }

  const rejected = new ReasonCounter();
  const enrichFailures = new ReasonCounter();
  const writer = await startWriterThread({ dbPath: config.db, sync: config.sync }, log);
  const themeScoring = startThemeScoring({
    options: { cacheDir: config.modelCache ?? join(dirname(config.db), 'model'), languageVectors: config.wordVectors },
    readDb,
    writer,
    log,
  });
  const pipeline: Omit<IngestDeps, 'resolveSite' | 'tooFast'> = {
    geo,
    parseUserAgent: createUserAgentParser(),
    anonymousVisitorId: createAnonymousVisitorIds(db),
    onStepFailure: (step) => enrichFailures.count(step),
  };
  const rulesOf = (site: Site | null): SiteRules | null =>
    site && {
      id: site.id,
      timeZone: site.timeZone,
      sessionTimeoutMs: (site.sessionTimeoutMinutes ?? config.sessionTimeoutMinutes) * 60_000,
      hashRouting: site.hashRouting,
      queryKeys: site.queryKeys,
      requireConsent: site.requireConsent,
    };
  const ingest = createIngest({ ...pipeline, resolveSite: (domain) => rulesOf(sites.resolve(domain)), tooFast: createPageviewRate() });
  // The preview creates no site: an unknown one in open mode gets id 0, which it never stores.
  const previewIngest = createIngest({
    ...pipeline,
    resolveSite: (domain) => rulesOf(sites.find(domain)) ?? (sites.isOpen ? { id: 0, timeZone: 'UTC', sessionTimeoutMs: 0, hashRouting: false, queryKeys: [], requireConsent: false } : null),
    tooFast: () => false,
  });

  const app = createApp({
    assets,
    demoSite,
    log,
    ingest,
    previewIngest,
    clientAddress: createClientAddressResolver(config.trustedProxies),
    writer,
    sites,
    rejections: rejected,
    now,
    adminToken,
    queries: createDashboardQueries(readDb),
    themeQueries: createThemeQueries(readDb),
    themeStore,
    segmentStore: createSegmentStore(db),
    segmentQueries: createSegmentQueries(readDb),
    scoring: themeScoring,
    ingestCounters: { rejected, enrichFailures },
    sessionRules: (site) => {
      const rules = rulesOf(site)!;
      return { siteTimeZone: rules.timeZone, sessionTimeoutMs: rules.sessionTimeoutMs };
    },
  });

  let draining = false;
  // While stopping, keep-alive clients would otherwise go on sending on their open connections.
  const fetch = (request: Request, env: unknown) =>
    draining
      ? Response.json({ error: 'the collector is shutting down' }, { status: 503, headers: { Connection: 'close', 'Retry-After': '5' } })
      : app.fetch(request, env);
  let server: ReturnType<typeof serve>;
  try {
    server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
      const s = serve({ fetch, port: config.port, hostname: config.host }, () => resolve(s));
      s.once('error', reject);
    });
  } catch (error) {
    // The port is taken (or not ours): stop the writer thread too, or the process would not exit.
    await themeScoring.close();
    await writer.close();
    geo.close();
    readDb.close();
    db.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = config.publicUrl?.replace(/\/$/, '') ?? `http://${shownHost}:${port}`;

  log(`waymark listening on ${url} (database ${config.db})`);
  log(`dashboard: ${url}/dashboard#token=${adminToken}${tokenFile ? `   (token kept in ${tokenFile})` : ''}`);
  if (demoSite) log(`demo site: ${url}/demo/`);
  const retention = scheduleRetention({ writer, defaultDays: config.retentionDays ?? null, now, log });

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    adminToken,
    purgeNow: retention.purgeNow,
    themes: themeScoring,
    close() {
      closing ??= (async () => {
        retention.stop();
        await themeScoring.close();
        // Stop taking connections; requests already inside finish and are answered once committed.
        draining = true;
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          if ('closeIdleConnections' in server) server.closeIdleConnections();
          // A client that holds a connection open without sending must not block the stop forever.
          setTimeout(() => {
            if ('closeAllConnections' in server) server.closeAllConnections();
          }, CLOSE_GRACE_MS).unref();
        });
        await writer.close();
        geo.close();
        readDb.close();
        db.close();
      })();
      return closing;
    },
  };
}

import { Hono } from 'hono';
import { dashboardApi, type DashboardApiDeps } from '../dashboard/api.ts';
import { requireAdminToken } from './admin-token.ts';
import { type Asset, loadAsset, serveAsset } from './assets.ts';
import { collectRoutes, type CollectRoutesDeps } from './collect-routes.ts';
import { crmRoutes } from './crm-routes.ts';
import { enrichPreviewRoute } from './enrich-preview.ts';
import { themesApi, type ThemesApiDeps } from '../dashboard/themes-api.ts';
import { type EraseRoutesDeps, eraseRoutes } from './erase-routes.ts';
import type { Ingest } from './ingest.ts';

// A day: long enough to spare repeat visitors the download, short enough for an update to reach them.
const TRACKER_CACHE = 'public, max-age=86400, stale-while-revalidate=604800';
// The dashboard renders untrusted page data: allow nothing but its own script, style and API.
const DASHBOARD_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

export interface BuiltAssets {
  tracker: Asset;
  dashboardHtml: Asset;
  dashboardScript: Asset;
  dashboardStyle: Asset;
}

export function loadBuiltAssets(): BuiltAssets {
  return {
    tracker: loadAsset('dist/w.js', 'application/javascript; charset=utf-8'),
    dashboardHtml: loadAsset('dashboard/ui/index.html', 'text/html; charset=utf-8'),
    dashboardScript: loadAsset('dist/dashboard.js', 'application/javascript; charset=utf-8'),
    dashboardStyle: loadAsset('dashboard/ui/style.css', 'text/css; charset=utf-8'),
  };
}

export interface AppDeps extends CollectRoutesDeps, Omit<DashboardApiDeps, 'now' | 'sites'>, Omit<ThemesApiDeps, 'now' | 'sites'> {
  adminToken: string;
  /** The ingest pipeline as `POST /api/enrich/preview` runs it: it creates no site and counts nothing. */
  previewIngest: Ingest;
  assets: BuiltAssets;
  /** The site's rules for cutting visits, as ingest applies them. */
  sessionRules: EraseRoutesDeps['sessionRules'];
  /** The demo site's domain when the demo page is on. */
  demoSite: string | null;
  log: (line: string) => void;
}

export function createApp(deps: AppDeps) {
  const app = new Hono();
  app.onError((error, c) => {
    // An id only for failures: the answer carries it, and the log line holds the details.
    const requestId = crypto.randomUUID();
    deps.log(`error ${requestId} ${c.req.method} ${c.req.path}: ${error.stack ?? error.message}`);
    return c.json({ error: 'internal error', requestId }, 500);
  });

  app.route('/', collectRoutes(deps));
  app.get('/w.js', (c) => serveAsset(c, deps.assets.tracker, TRACKER_CACHE));

  app.get('/healthz', async (c) => {
    const store = await deps.writer.health().catch((error: Error) => ({ ok: false as const, error: error.message }));
    return store.ok ? c.json({ ok: true, store: 'writable' }) : c.json({ ok: false, store: 'not writable', error: store.error }, 503);
  });

  app.get('/', (c) => c.redirect('/dashboard'));
  app.use('/dashboard/*', async (c, next) => {
    await next();
    c.header('Content-Security-Policy', DASHBOARD_CSP);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
  });
  app.get('/dashboard', (c) => serveAsset(c, deps.assets.dashboardHtml, 'no-cache'));
  app.get('/dashboard/', (c) => serveAsset(c, deps.assets.dashboardHtml, 'no-cache'));
  app.get('/dashboard/app.js', (c) => serveAsset(c, deps.assets.dashboardScript, 'no-cache'));
  app.get('/dashboard/style.css', (c) => serveAsset(c, deps.assets.dashboardStyle, 'no-cache'));
  app.use('/api/*', requireAdminToken(deps.adminToken));
  app.route('/', dashboardApi(deps));
  app.route('/', themesApi(deps));
  app.route('/', eraseRoutes({ sites: deps.sites, writer: deps.writer, sessionRules: deps.sessionRules, log: deps.log }));
  app.route('/', crmRoutes({ sites: deps.sites, writer: deps.writer, now: deps.now, log: deps.log }));
  app.route('/', enrichPreviewRoute({ ingest: deps.previewIngest, now: deps.now }));

  if (deps.demoSite) {
    const page = loadAsset('collector/demo/index.html', 'text/html').body.toString('utf8').replaceAll('{{SITE}}', deps.demoSite);
    // Every path under /demo/ is the same page, as in a single-page app, so reloads and deep links work.
    app.get('/demo', (c) => c.redirect('/demo/'));
    app.get('/demo/*', (c) => c.html(page));
  }

  return app;
}

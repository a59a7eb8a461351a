// Dashboard entry point: reads the token, then renders the view the URL fragment names
// (overview, themes, segments, a visitor's journey, or a person's) and renders again on every
// hashchange, or after a change made on the page (themes saved, a segment created).

import { ApiError, createApiClient, isAbort } from './api.ts';
import { adoptTokenFromAddress, createTokenStore, tokenForm } from './auth.ts';
import { createHeader } from './header.ts';
import { backLink, journeyView, personView } from './journey.ts';
import { overview } from './overview.ts';
import { dayIn, resolvePeriod, type Period } from './period.ts';
import { h, mount } from './render.ts';
import { parseRoute, routeToHash, type Route, type View } from './route.ts';
import { segmentsPage } from './segments.ts';
import { themeNamer, themesPage } from './themes.ts';
import type { Site, Theme } from './types.ts';

const VISITORS_LIMIT = 50;
const REFUSED = 'That token was refused.';

export interface DashboardOptions {
  root: HTMLElement;
  now?: () => Date;
  fetch?: typeof globalThis.fetch;
}

export function startDashboard({ root, now = () => new Date(), fetch }: DashboardOptions): void {
  const tokens = createTokenStore();
  const api = createApiClient({ getToken: () => tokens.get(), fetch });

  let sites: Site[] | undefined;
  /** The site on screen, which the fragment may leave implicit (the first site). */
  let shownSite: string | undefined;
  let current: AbortController | undefined;

  const navigate = (route: Route) => {
    location.hash = routeToHash(route);
  };
  const header = createHeader({
    now,
    // A new site or period means the overview: a journey does not depend on either.
    onSiteChange: (site) => navigate({ ...parseRoute(location.hash), site, visitor: undefined, person: undefined }),
    onPeriodChange: (period) => navigate({ ...parseRoute(location.hash), site: shownSite, ...period, visitor: undefined, person: undefined }),
  });
  // Shown once a site is known; before that there is nothing for them to act on.
  header.setControlsVisible(false);
  const banner = h('div', { class: 'banner', role: 'alert', 'data-testid': 'error', hidden: true });
  const notice = h('div', { class: 'notice', role: 'status', 'data-testid': 'notice', hidden: true });
  const view = h('main', { class: 'view', 'data-testid': 'view' });
  const footer = h('footer', { class: 'footer', 'data-testid': 'time-zone', hidden: true });
  mount(root, header.element, h('div', { class: 'page' }, banner, notice, view), footer);

  function showError(message: string | undefined) {
    banner.textContent = message ?? '';
    banner.hidden = !message;
  }
  function showNotice(message: string | undefined) {
    notice.textContent = message ?? '';
    notice.hidden = !message;
  }
  /** Named once, here, rather than beside every time; without a site there are no times to explain. */
  function showTimeZone(timeZone: string | undefined) {
    footer.textContent = timeZone ? `Times are in ${timeZone}, the site’s time zone.` : '';
    footer.hidden = !timeZone;
  }
  /** After a change made on the page: load it again, then say what was done. */
  const refresh = (message: string) => void render().then(() => showNotice(message));

  function showTokenForm(message?: string) {
    header.setControlsVisible(false);
    showTimeZone(undefined);
    view.removeAttribute('aria-busy');
    mount(
      view,
      tokenForm({
        message,
        onSubmit: (token) => {
          tokens.set(token);
          void render();
        },
      }),
    );
  }

  async function render(): Promise<void> {
    current?.abort();
    const controller = new AbortController();
    current = controller;
    const { signal } = controller;

    showError(undefined);
    showNotice(undefined);
    if (!tokens.get()) return showTokenForm();

    const route = parseRoute(location.hash);
    view.setAttribute('aria-busy', 'true');
    if (!view.firstChild || view.querySelector('[data-testid="token-form"]')) mount(view, h('p', { class: 'loading' }, 'Loading…'));

    try {
      sites ??= (await api.sites(signal)).sites;
      const site = route.site ?? sites[0]?.domain;
      if (!site) {
        header.setControlsVisible(false);
        showTimeZone(undefined);
        mount(view, noSites());
        return;
      }
      shownSite = site;
      // Periods are days of the site's time zone, as the API counts them, and times are shown there too.
      const timeZone = sites.find((item) => item.domain === site)?.timeZone ?? 'UTC';
      showTimeZone(timeZone);
      const period: Period = resolvePeriod(route, now(), timeZone);
      const { view: page } = route;
      // Links keep the period as the fragment gives it (absent means the default, which moves with the days).
      const linkTo = (more: Route) => routeToHash({ site, from: route.from, to: route.to, ...more });
      header.update({ sites, site, period, today: dayIn(now(), timeZone), timeZone, view: page, viewLink: (to?: View) => linkTo({ view: to }) });
      header.setControlsVisible(true);

      // A journey goes back to the page it was opened from.
      const backTo = linkTo({ view: page });
      const visitorLink = (visitor: string) => linkTo({ view: page, visitor });
      const personLink = (person: string) => linkTo({ view: page, person });
      const backLabel = page ?? 'overview';
      if (route.person || route.visitor) {
        // Theme names are a nicety on a journey: without them its theme ids are shown.
        const themes = api.themes(site, signal).then((answer) => answer.themes, (): Theme[] => []);
        if (route.person) {
          const [journey, names] = await Promise.all([api.person(site, route.person, signal), themes]);
          mount(view, personView({ journey, overviewLink: backTo, visitorLink, backTo: backLabel, themeName: themeNamer(names), timeZone }));
        } else {
          const [journey, names] = await Promise.all([api.journey(site, route.visitor!, signal), themes]);
          mount(view, journeyView({ journey, overviewLink: backTo, personLink, backTo: backLabel, themeName: themeNamer(names), timeZone }));
        }
      } else if (page === 'themes') {
        const [themes, report] = await Promise.all([api.themes(site, signal), api.themeReport(site, period, signal)]);
        mount(view, themesPage({ site, themes, report, api, onSaved: refresh }));
      } else if (page === 'segments') {
        const [{ themes }, { segments }] = await Promise.all([api.themes(site, signal), api.segments(site, signal)]);
        // Membership is computed when asked, so each segment's members are read now, side by side.
        const withMembers = await Promise.all(
          segments.map((segment) =>
            api.segmentMembers(site, segment.id, signal).then(
              (members) => ({ segment, members }),
              (error: unknown) => {
                if (isAbort(error) || (error instanceof ApiError && error.status === 401)) throw error;
                return { segment, members: { error: (error as Error).message } };
              },
            ),
          ),
        );
        mount(view, segmentsPage({ site, themes, segments: withMembers, api, visitorLink, personLink, timeZone, onChanged: refresh }));
      } else {
        const [stats, visitors] = await Promise.all([api.stats(site, period, signal), api.visitors(site, period, VISITORS_LIMIT, signal)]);
        mount(view, overview({ stats, visitors, journeyLink: visitorLink, timeZone }));
      }
    } catch (error) {
      if (signal.aborted || isAbort(error)) return;
      if (error instanceof ApiError && error.status === 401) {
        tokens.clear();
        sites = undefined;
        return showTokenForm(REFUSED);
      }
      showError(error instanceof Error ? error.message : String(error));
      // Keep a way out of a failed journey (unknown visitor, say).
      mount(view, route.visitor || route.person ? backLink(routeToHash({ site: route.site, from: route.from, to: route.to, view: route.view }), route.view) : null);
    } finally {
      if (current === controller) view.removeAttribute('aria-busy');
    }
  }

  adoptTokenFromAddress(tokens);
  window.addEventListener('hashchange', () => {
    // A pasted #token=... link on an open tab is adopted too.
    if (location.hash.includes('token=')) {
      adoptTokenFromAddress(tokens);
      sites = undefined;
    }
    void render();
  });
  void render();
}

function noSites(): HTMLElement {
  return h(
    'section',
    { class: 'card', 'data-testid': 'no-sites' },
    h('h2', null, 'No sites yet'),
    h('p', null, 'A site appears here once its pages send events. Add this tag to them, with your own domain:'),
    h('pre', null, h('code', null, `<script defer src="${location.origin}/w.js" data-site="example.com"></script>`)),
  );
}

const root = document.getElementById('app');
if (root) startDashboard({ root });

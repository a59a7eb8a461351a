// Navigation state lives in the URL fragment so every view is a link and the back
// button works: #site=example.com&from=2026-11-01&to=2026-11-22[&view=themes|segments]
// [&visitor=ID | &person=ID]; a journey wins over the view, which it goes back to.
// The fragment is never sent to the server, which is also why the admin token arrives
// there (#token=...) and is removed at once (see auth.ts).

/** The pages of a site; without a view, the overview. */
export const VIEWS = ['themes', 'segments'] as const;
export type View = (typeof VIEWS)[number];

export interface Route {
  site?: string;
  from?: string;
  to?: string;
  view?: View;
  visitor?: string;
  person?: string;
}

const ROUTE_KEYS = ['site', 'from', 'to', 'view', 'visitor', 'person'] as const;

export function parseRoute(hash: string): Route {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const route: Route = {};
  for (const key of ROUTE_KEYS) {
    const value = params.get(key);
    if (!value) continue;
    // An unknown view (an old or mistyped link) is the overview rather than an empty page.
    if (key === 'view') {
      if ((VIEWS as readonly string[]).includes(value)) route.view = value as View;
    } else route[key] = value;
  }
  return route;
}

/** Always starts with "#", so it is safe as an href: it can only move within this page. */
export function routeToHash(route: Route): string {
  const params = new URLSearchParams();
  for (const key of ROUTE_KEYS) {
    const value = route[key];
    if (value) params.set(key, value);
  }
  return `#${params.toString()}`;
}

/** Splits a `token` parameter out of the fragment, keeping everything else. */
export function extractToken(hash: string): { token?: string; rest: string } {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const token = params.get('token') ?? undefined;
  params.delete('token');
  const rest = params.toString();
  return { token: token || undefined, rest: rest ? `#${rest}` : '' };
}

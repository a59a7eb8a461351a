/*! Waymark tracker, MIT license */
// Entry point, bundled into dist/w.js. Goals, in order: never break the host page, send what the
// server cannot see, stay small (budget 1,500 bytes gzipped, enforced by test/tracker.browser.test.ts).

import { readClientHints } from './hints.ts';
import { readVisitorId } from './ids.ts';
import { watchNavigation } from './navigation.ts';
import { customEvent, pageview, type Sender } from './payloads.ts';
import { sendJson } from './send.ts';

/** `window.waymark`: the snippet's stub keeps calls in `q` until this script loads; `l` marks the real one. */
type Waymark = ((command: string, ...args: unknown[]) => void) & { q?: IArguments[]; l?: boolean };

const page = window as unknown as { waymark?: Waymark };

function start(script: HTMLScriptElement, site: string): void {
  const api = script.dataset.api || new URL('/e', script.src).href;
  const hashRouting = script.hasAttribute('data-hash-routing');
  // Host names are case-insensitive and the collector registers sites in lower case.
  const sender: Sender = { site: site.toLowerCase(), visitor: readVisitorId() };
  const hints = readClientHints();
  // The payload is built now (URL, title at the moment of the call), sent once the hints are known;
  // sends stay in call order because each waits on the same promise.
  const send = (payload: object) =>
    hints.then((value) => sendJson(api, Object.assign(payload, { hints: value }))).catch(() => {
      // sendJson already swallows its own failures; this keeps a rejected promise out of the page's error reporting.
    });
  // The first pageview carries the document's referrer; later ones the URL of the pageview before them.
  let referrer = document.referrer;
  let lastPage: string | undefined;

  function trackPageview(): void {
    try {
      // The hash is not part of the page (hash-only changes, and replaceState to the same URL, are not
      // pageviews) unless the site routes by fragment (data-hash-routing), where each route is a page;
      // browsers fire popstate for fragment changes, so no other listener is needed.
      const current = hashRouting ? location.href : location.href.split('#')[0];
      if (current == lastPage) return;
      lastPage = current;
      send(pageview(sender, referrer));
      referrer = location.href;
    } catch {
      // Called from the app's own pushState/popstate: an analytics failure must not break its navigation.
    }
  }

  const waymark: Waymark = (command, name, props) => {
    try {
      if (command == 'event' && typeof name == 'string' && name) send(customEvent(sender, name, props));
      // Unknown commands (or a newer page calling an older tracker) are ignored.
    } catch {
      // Props with throwing getters, or a browser missing an API: the page's own code called us and
      // must go on, so losing this one event is the safe outcome.
    }
  };
  waymark.l = true;

  const queued = page.waymark && page.waymark.q;
  trackPageview();
  watchNavigation(trackPageview);
  page.waymark = waymark;
  // Replayed after the first pageview, in the order the page made them.
  if (queued) for (const args of queued) waymark.apply(null, args as unknown as Parameters<Waymark>);
}

try {
  // currentScript is our <script> while it runs (also with defer); null in modules and injected inline code.
  const script = document.currentScript as HTMLScriptElement | null;
  const site = script && script.dataset.site;
  // Without data-site there is nowhere to count the visit; a second copy of the tag must not double-count.
  if (script && site && !(page.waymark && page.waymark.l)) start(script, site);
} catch {
  // Any failure here leaves the page as it was without the tag, which is the promise we make.
}

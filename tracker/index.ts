/*! Waymark tracker, MIT license */
// Entry point, bundled into dist/w.js. Goals, in order: never break the host page, send what the
// server cannot see, stay small (budget 1,950 bytes gzipped, enforced by test/tracker.browser.test.ts).

import { watchEngagement } from './engagement.ts';
import { readClientHints } from './hints.ts';
import { forgetVisitorId, readVisitorId } from './ids.ts';
import { watchNavigation } from './navigation.ts';
import { customEvent, engagement, identify, type Pageview, pageview, type Sender } from './payloads.ts';
import { sendJson } from './send.ts';

/** `window.waymark`: the snippet's stub keeps calls in `q` until this script loads; `l` marks the real one. */
type Waymark = ((command: string, ...args: unknown[]) => void) & { q?: IArguments[]; l?: boolean };

const page = window as unknown as { waymark?: Waymark };

function start(script: HTMLScriptElement, site: string): void {
  const api = script.dataset.api || new URL('/e', script.src).href;
  const hashRouting = script.hasAttribute('data-hash-routing');
  // Consent mode: until waymark('consent', true) nothing is written to the device, and the only thing
  // read is an id stored earlier, which consent given on an earlier page wrote.
  const requireConsent = script.hasAttribute('data-require-consent');
  // Host names are case-insensitive and the collector registers sites in lower case.
  const sender: Sender = { site: site.toLowerCase() };
  const follow = (visitor?: string) => {
    sender.visitor = visitor;
    // The collector follows a visitor on a site that asks first only with this flag.
    sender.consent = (requireConsent && !!visitor) || undefined;
  };
  follow(readVisitorId(requireConsent));
  const hints = readClientHints();
  // The payload is built now (URL, title, time at the moment of the call), sent once the hints (and
  // identify's hash) are known; `sent` is stamped then, so the collector can subtract the wait.
  const send = (payload: object | Promise<object>) =>
    Promise.all([payload, hints])
      .then(([body, value]) => sendJson(api, { ...body, hints: value, sent: Date.now() }))
      .catch(() => {
        // sendJson swallows its own failures; this catches identify's (no crypto.subtle over http, an
        // empty address) and keeps a rejected promise out of the page's error reporting.
      });
  // The first pageview carries the document's referrer; later ones the URL of the pageview before them.
  let referrer = document.referrer;
  let lastPage: string | undefined;
  // The pageview the engagement reports are about: the last one sent.
  let view: Pageview;
  const nextPage = watchEngagement((engagedMs, scrollDepth) => send(engagement(sender, view, engagedMs, scrollDepth)));

  function trackPageview(): void {
    try {
      // The hash is not part of the page (hash-only changes, and replaceState to the same URL, are not
      // pageviews) unless the site routes by fragment (data-hash-routing), where each route is a page;
      // browsers fire popstate for fragment changes, so no other listener is needed.
      const current = hashRouting ? location.href : location.href.split('#')[0];
      if (current == lastPage) return;
      lastPage = current;
      // Reports for the page being left while `view` is still its pageview, then counts afresh.
      nextPage();
      send((view = pageview(sender, referrer)));
      referrer = location.href;
    } catch {
      // Called from the app's own pushState/popstate: an analytics failure must not break its navigation.
    }
  }

  const waymark: Waymark = (command, name, props) => {
    try {
      if (command == 'consent') {
        // Only `true` grants, and only in consent mode (elsewhere the id is in use already). Anything
        // else withdraws, in any mode: a visitor who says no is honoured for the rest of the page.
        if (name !== true) {
          forgetVisitorId();
          follow();
        } else if (requireConsent) follow(readVisitorId());
      } else if (typeof name == 'string' && name) {
        if (command == 'event') send(customEvent(sender, name, props));
        // Without a visitor id there is nobody to link the person to (the collector drops it anyway).
        if (command == 'identify' && sender.visitor) send(identify(sender, name, props));
      }
      // Unknown commands (or a newer page calling an older tracker) are ignored.
    } catch {
      // Props with throwing getters, or a browser missing an API: the page's own code called us and
      // must go on, so losing this one event is the safe outcome.
    }
  };
  waymark.l = true;

  const queued = page.waymark?.q || [];
  // Queued calls are replayed in the order the page made them, consent calls before the first
  // pageview (so it already carries the visitor's choice), the others after it.
  const replay = (consentCalls: boolean) => {
    for (const args of queued) if ((args[0] == 'consent') == consentCalls) waymark(...(args as unknown as Parameters<Waymark>));
  };
  replay(true);
  trackPageview();
  watchNavigation(trackPageview);
  page.waymark = waymark;
  replay(false);
}

try {
  // currentScript is our <script> while it runs (also with defer); null in modules and injected inline code.
  const script = document.currentScript as HTMLScriptElement | null;
  const site = script?.dataset.site;
  // Without data-site there is nowhere to count the visit; a second copy of the tag must not double-count.
  if (site && !page.waymark?.l) start(script!, site);
} catch {
  // Any failure here leaves the page as it was without the tag, which is the promise we make.
}

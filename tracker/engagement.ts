// How long a pageview was visible and how far down it was read. A page left open in a background tab
// is not being read, so only visible time counts, summed across hide/show.
//
// A report goes out on each visible → hidden change, the moment a page may be about to go away: the
// tab is switched, the window minimised, the page closed or left (browsers fire visibilitychange then
// too, except older Safari, which fires only pagehide, hence that listener). Whichever of the two
// comes first reports and stops the clock, so the other finds nothing to add and sends nothing. A
// single-page app's navigation reports for the page it leaves. A pageview that was never visible (a
// tab opened in the background and closed unseen) sends no report at all.

/** Called with the figures so far: whole milliseconds visible (at most a day), deepest scroll in percent. */
export type EngagementReport = (engagedMs: number, scrollDepth: number) => void;

/**
 * Starts watching; returns the function to call when a new pageview starts: it reports for the
 * previous one (if it was visible since its last report) and starts counting afresh.
 */
export function watchEngagement(report: EngagementReport): () => void {
  let engaged = 0;
  let depth = 0;
  // When the page last became visible (performance.now(), monotonic, so a clock change cannot make the
  // figure negative); 0 while hidden, and until the first pageview.
  let since = 0;

  const measure = () => {
    // A page shorter than the window is read to its end (over 100, capped below). Without a root
    // element the quotient is NaN, which is never deeper.
    const reached = ((scrollY + innerHeight) / document.documentElement?.scrollHeight) * 100;
    if (reached > depth) depth = reached;
  };
  // Folds the visible time so far into the figures and reports them if the page was visible, then
  // starts the clock again or stops it.
  const update = (hidden: boolean) => {
    try {
      const now = performance.now();
      if (since) {
        measure();
        engaged += now - since;
        // The collector refuses more than a day: a page left visible longer is cut, not lost.
        report(Math.min(Math.round(engaged), 864e5), Math.min(Math.round(depth), 100));
      }
      since = hidden ? 0 : now;
    } catch {
      // Called from the browser's events, where an error would reach the page's own error reporting;
      // losing one report is the safe outcome.
    }
  };

  addEventListener('scroll', measure);
  addEventListener('visibilitychange', () => update(document.hidden));
  addEventListener('pagehide', () => update(true));
  return () => {
    update(document.hidden);
    engaged = depth = 0;
  };
}

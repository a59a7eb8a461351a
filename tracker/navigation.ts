// Single-page apps change the URL without loading a page: they call history.pushState/replaceState
// (which fire no event, hence the wrappers) and the browser fires popstate on back/forward.

export function watchNavigation(onNavigate: () => void): void {
  for (const method of ['pushState', 'replaceState'] as const) {
    const original = history[method];
    history[method] = function (this: History, ...args: Parameters<History['pushState']>) {
      // The app's call runs first and any error it throws is the app's own, so it is not caught here.
      original.apply(this, args);
      onNavigate();
    };
  }
  addEventListener('popstate', onNavigate);
}

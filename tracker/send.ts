// One event per request, as a JSON string body: browsers label a string body
// `text/plain;charset=UTF-8`, a CORS-safelisted type, so the cross-origin POST to the collector needs
// no preflight (and no header or Blob of ours); the collector parses the body as JSON anyway.

export function sendJson(api: string, payload: object): void {
  const body = JSON.stringify(payload);
  try {
    // sendBeacon survives the page being unloaded; it returns false when the browser refuses to queue
    // the data (over its quota), and then fetch gets a chance.
    if (navigator.sendBeacon(api, body)) return;
  } catch {
    // sendBeacon is missing (older browsers, some embedded webviews) or refused the call: safe to
    // ignore, fetch below sends the same body.
  }
  // keepalive lets the request outlive the page like a beacon (bodies up to 64 KB; ours are ~1 KB).
  // credentials: 'omit' because the collector uses no cookies; it also lets the collector answer
  // `Access-Control-Allow-Origin: *` instead of echoing each site's origin.
  fetch(api, { method: 'POST', body, keepalive: true, credentials: 'omit' }).catch(() => {
    // Offline, blocked by an extension, or the collector is down. Losing one analytics event is
    // acceptable; an unhandled rejection is not, because it would reach the page's own error reporting.
  });
}

import { describe, expect, it } from 'vitest';
import { ApiError, createApiClient } from './api.ts';

interface Call {
  url: string;
  init: RequestInit | undefined;
}

function fakeFetch(answer: () => Response | Promise<Response>) {
  const calls: Call[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(input), init });
    return answer();
  };
  return { calls, fetch: fetch as typeof globalThis.fetch };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const period = { from: '2026-11-01', to: '2026-11-22' };

describe('createApiClient', () => {
  describe('requests', () => {
    it.each([
      { name: 'sites', call: (api: ReturnType<typeof createApiClient>) => api.sites(), url: '/api/sites' },
      { name: 'stats', call: (api: ReturnType<typeof createApiClient>) => api.stats('example.com', period), url: '/api/sites/example.com/stats?from=2026-11-01&to=2026-11-22' },
      { name: 'visitors', call: (api: ReturnType<typeof createApiClient>) => api.visitors('example.com', period, 50), url: '/api/sites/example.com/visitors?from=2026-11-01&to=2026-11-22&limit=50' },
      { name: 'journey encodes the id', call: (api: ReturnType<typeof createApiClient>) => api.journey('example.com', 'a/b?c#d'), url: '/api/sites/example.com/visitors/a%2Fb%3Fc%23d' },
      { name: 'theme report', call: (api: ReturnType<typeof createApiClient>) => api.themeReport('example.com', period), url: '/api/sites/example.com/themes/report?from=2026-11-01&to=2026-11-22' },
      { name: 'a page\'s themes encode the path', call: (api: ReturnType<typeof createApiClient>) => api.pageThemes('example.com', '/a b?c'), url: '/api/sites/example.com/pages/themes?path=%2Fa%20b%3Fc' },
      { name: 'segment members', call: (api: ReturnType<typeof createApiClient>) => api.segmentMembers('example.com', 4), url: '/api/sites/example.com/segments/4/members' },
    ])('$name → $url with the bearer token', async ({ call, url }) => {
      const { calls, fetch } = fakeFetch(() => json(200, {}));
      await call(createApiClient({ getToken: () => 'XYZ', fetch }));
      expect(calls).toHaveLength(1);
      expect(calls[0]?.url).toBe(url);
      expect((calls[0]?.init?.headers as Record<string, string>).Authorization).toBe('Bearer XYZ');
    });
  });

  describe('changes', () => {
    it.each([
      {
        name: 'themes are PUT whole',
        call: (api: ReturnType<typeof createApiClient>) => api.saveThemes('example.com', { themes: [], rules: [] }),
        method: 'PUT',
        url: '/api/sites/example.com/themes',
        body: { themes: [], rules: [] },
      },
      {
        name: 'a page is tried',
        call: (api: ReturnType<typeof createApiClient>) => api.tryPage('example.com', { url: 'https://example.com/x', title: 'X' }),
        method: 'POST',
        url: '/api/sites/example.com/themes/score',
        body: { url: 'https://example.com/x', title: 'X' },
      },
      {
        name: 'a segment is updated',
        call: (api: ReturnType<typeof createApiClient>) =>
          api.updateSegment('example.com', 7, { name: 'Fans', themeId: 'racing', minDays: 3, windowDays: 30, minInterest: 1, seenWithinDays: 14 }),
        method: 'PUT',
        url: '/api/sites/example.com/segments/7',
        body: { name: 'Fans', themeId: 'racing', minDays: 3, windowDays: 30, minInterest: 1, seenWithinDays: 14 },
      },
    ])('$name: $method $url with a JSON body and the bearer token', async ({ call, method, url, body }) => {
      const { calls, fetch } = fakeFetch(() => json(200, {}));
      await call(createApiClient({ getToken: () => 'XYZ', fetch }));
      expect(calls[0]).toMatchObject({ url, init: { method, headers: { Authorization: 'Bearer XYZ', 'Content-Type': 'application/json' } } });
      expect(JSON.parse(String(calls[0]?.init?.body))).toEqual(body);
    });

    it('a deletion answered 204 resolves without a body', async () => {
      const { calls, fetch } = fakeFetch(() => new Response(null, { status: 204 }));
      await expect(createApiClient({ getToken: () => 'XYZ', fetch }).deleteSegment('example.com', 3)).resolves.toBeUndefined();
      expect(calls[0]).toMatchObject({ url: '/api/sites/example.com/segments/3', init: { method: 'DELETE' } });
    });

    it('a refused change carries the server\'s message', async () => {
      const { fetch } = fakeFetch(() => json(400, { error: 'themes.1.description: at least 10 characters' }));
      await expect(createApiClient({ getToken: () => 'XYZ', fetch }).saveThemes('example.com', { themes: [], rules: [] })).rejects.toMatchObject({
        status: 400,
        message: 'themes.1.description: at least 10 characters',
      });
    });

    it('members as CSV are fetched with the token, as the API wrote them', async () => {
      const csv = 'visitor_id,person_id,hashed_email,interest,days_active,last_seen,top_pages\r\n';
      const { calls, fetch } = fakeFetch(() => new Response(csv, { status: 200, headers: { 'content-type': 'text/csv' } }));
      const blob = await createApiClient({ getToken: () => 'XYZ', fetch }).segmentMembersCsv('example.com', 2);
      expect(await blob.text()).toBe(csv);
      expect(calls[0]).toMatchObject({ url: '/api/sites/example.com/segments/2/members?format=csv', init: { headers: { Authorization: 'Bearer XYZ', Accept: 'text/csv' } } });
    });
  });

  describe('failures', () => {
    it.each([
      { name: 'API error string', response: () => json(404, { error: 'unknown visitor' }), status: 404, message: 'unknown visitor' },
      { name: 'server error with request id', response: () => json(500, { error: 'internal error', requestId: 'r-42' }), status: 500, message: 'internal error (request id r-42)' },
      { name: 'refused token', response: () => json(401, { error: 'bad token' }), status: 401, message: 'bad token' },
      { name: 'no JSON body', response: () => new Response('oops', { status: 502, statusText: 'Bad Gateway' }), status: 502, message: 'The server answered 502 Bad Gateway' },
      { name: '200 without JSON', response: () => new Response('<html>', { status: 200 }), status: 200, message: 'The server answered 200 without JSON' },
      { name: 'network failure', response: () => Promise.reject(new TypeError('fetch failed')), status: 0, message: 'Could not reach the Waymark server. Is it running?' },
    ])('$name → ApiError $status', async ({ response, status, message }) => {
      const { fetch } = fakeFetch(response);
      const failure = createApiClient({ getToken: () => 'XYZ', fetch }).sites();
      await expect(failure).rejects.toBeInstanceOf(ApiError);
      await expect(failure).rejects.toMatchObject({ status, message });
    });
  });
});

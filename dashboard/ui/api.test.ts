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
    ])('$name → $url with the bearer token', async ({ call, url }) => {
      const { calls, fetch } = fakeFetch(() => json(200, {}));
      await call(createApiClient({ getToken: () => 'XYZ', fetch }));
      expect(calls).toHaveLength(1);
      expect(calls[0]?.url).toBe(url);
      expect((calls[0]?.init?.headers as Record<string, string>).Authorization).toBe('Bearer XYZ');
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

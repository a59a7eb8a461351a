// Client for the dashboard JSON API. Every call sends the admin token as a bearer
// token; failures become an ApiError carrying the status (0 for a network failure)
// and the server's own `error` string, which the UI shows as is (as text).

import type { Period } from './period.ts';
import type { JourneyResponse, PersonJourneyResponse, SitesResponse, StatsResponse, VisitorsResponse } from './types.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ApiClientOptions {
  /** Read on every call, so a token entered later is used at once. */
  getToken: () => string | undefined;
  fetch?: typeof globalThis.fetch;
  baseUrl?: string;
}

export interface ApiClient {
  sites(signal?: AbortSignal): Promise<SitesResponse>;
  stats(site: string, period: Period, signal?: AbortSignal): Promise<StatsResponse>;
  visitors(site: string, period: Period, limit: number, signal?: AbortSignal): Promise<VisitorsResponse>;
  journey(site: string, visitorId: string, signal?: AbortSignal): Promise<JourneyResponse>;
  person(site: string, personId: string, signal?: AbortSignal): Promise<PersonJourneyResponse>;
}

export function createApiClient({ getToken, fetch = globalThis.fetch.bind(globalThis), baseUrl = '' }: ApiClientOptions): ApiClient {
  async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const token = getToken();
    if (token) headers.Authorization = `Bearer ${token}`;

    let response: Response;
    try {
      response = await fetch(`${baseUrl}${path}`, { headers, signal });
    } catch (error) {
      // An abort is the caller changing its mind, not a failure to report.
      if (signal?.aborted) throw error;
      throw new ApiError(0, 'Could not reach the Waymark server. Is it running?');
    }

    let body: unknown;
    try {
      body = await response.json();
    } catch {
      if (signal?.aborted) throw new DOMException('Aborted', 'AbortError');
      body = undefined;
    }

    if (!response.ok) {
      const message = errorMessage(body) ?? `The server answered ${response.status} ${response.statusText}`.trim();
      throw new ApiError(response.status, message);
    }
    if (body === undefined || body === null || typeof body !== 'object') {
      throw new ApiError(response.status, `The server answered ${response.status} without JSON`);
    }
    return body as T;
  }

  const site = (domain: string) => `/api/sites/${encodeURIComponent(domain)}`;
  const range = (period: Period) => `from=${encodeURIComponent(period.from)}&to=${encodeURIComponent(period.to)}`;

  return {
    sites: (signal) => getJson('/api/sites', signal),
    stats: (domain, period, signal) => getJson(`${site(domain)}/stats?${range(period)}`, signal),
    visitors: (domain, period, limit, signal) => getJson(`${site(domain)}/visitors?${range(period)}&limit=${limit}`, signal),
    journey: (domain, visitorId, signal) => getJson(`${site(domain)}/visitors/${encodeURIComponent(visitorId)}`, signal),
    person: (domain, personId, signal) => getJson(`${site(domain)}/people/${encodeURIComponent(personId)}`, signal),
  };
}

function errorMessage(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const { error, requestId } = body as { error?: unknown; requestId?: unknown };
  if (typeof error !== 'string' || error === '') return undefined;
  // A 500 names its request id, which is what the operator greps the server log for.
  return typeof requestId === 'string' && requestId !== '' ? `${error} (request id ${requestId})` : error;
}

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

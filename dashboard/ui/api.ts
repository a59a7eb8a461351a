// Client for the dashboard JSON API. Every call sends the admin token as a bearer
// token; failures become an ApiError carrying the status (0 for a network failure)
// and the server's own `error` string, which the UI shows as is (as text).

import type { Period } from './period.ts';
import type {
  JourneyResponse,
  PageThemesResponse,
  PageToScore,
  PersonJourneyResponse,
  Segment,
  SegmentDefinition,
  SegmentMembersResponse,
  SegmentPreview,
  SegmentsResponse,
  SiteThemes,
  SitesResponse,
  StatsResponse,
  ThemeReportResponse,
  ThemesResponse,
  TriedPage,
  VisitorsResponse,
} from './types.ts';

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
  themes(site: string, signal?: AbortSignal): Promise<ThemesResponse>;
  saveThemes(site: string, themes: SiteThemes): Promise<ThemesResponse>;
  themeReport(site: string, period: Period, signal?: AbortSignal): Promise<ThemeReportResponse>;
  pageThemes(site: string, path: string, signal?: AbortSignal): Promise<PageThemesResponse>;
  tryPage(site: string, page: PageToScore): Promise<TriedPage>;
  segments(site: string, signal?: AbortSignal): Promise<SegmentsResponse>;
  createSegment(site: string, definition: SegmentDefinition): Promise<Segment>;
  updateSegment(site: string, id: number, definition: SegmentDefinition): Promise<Segment>;
  deleteSegment(site: string, id: number): Promise<void>;
  previewSegment(site: string, definition: SegmentDefinition): Promise<SegmentPreview>;
  segmentMembers(site: string, id: number, signal?: AbortSignal): Promise<SegmentMembersResponse>;
  /** The members as the API's CSV (what an ad platform takes), to save as a file. */
  segmentMembersCsv(site: string, id: number): Promise<Blob>;
}

export function createApiClient({ getToken, fetch = globalThis.fetch.bind(globalThis), baseUrl = '' }: ApiClientOptions): ApiClient {
  /** The response of a call that succeeded; any failure is thrown as an ApiError with the server's message. */
  async function request(method: string, path: string, { body, accept = 'application/json', signal }: { body?: unknown; accept?: string; signal?: AbortSignal }): Promise<Response> {
    const headers: Record<string, string> = { Accept: accept };
    const token = getToken();
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';

    let response: Response;
    try {
      response = await fetch(`${baseUrl}${path}`, { method, headers, signal, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (error) {
      // An abort is the caller changing its mind, not a failure to report.
      if (signal?.aborted) throw error;
      throw new ApiError(0, 'Could not reach the Waymark server. Is it running?');
    }
    if (response.ok) return response;

    const failure = await readJson(response, signal);
    const message = errorMessage(failure) ?? `The server answered ${response.status} ${response.statusText}`.trim();
    throw new ApiError(response.status, message);
  }

  /** A success's JSON body; anything else there is the server (or a proxy) answering oddly. */
  async function jsonOf<T>(response: Response, signal?: AbortSignal): Promise<T> {
    const body = await readJson(response, signal);
    if (body === undefined || body === null || typeof body !== 'object') {
      throw new ApiError(response.status, `The server answered ${response.status} without JSON`);
    }
    return body as T;
  }

  const getJson = async <T>(path: string, signal?: AbortSignal): Promise<T> => jsonOf<T>(await request('GET', path, { signal }), signal);

  /** PUT, POST or DELETE with an optional JSON body; a 204 (a deletion) gives undefined. */
  async function sendJson<T>(method: 'PUT' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const response = await request(method, path, { body });
    return response.status === 204 ? (undefined as T) : jsonOf<T>(response);
  }

  const site = (domain: string) => `/api/sites/${encodeURIComponent(domain)}`;
  const range = (period: Period) => `from=${encodeURIComponent(period.from)}&to=${encodeURIComponent(period.to)}`;
  const segment = (domain: string, id: number) => `${site(domain)}/segments/${encodeURIComponent(id)}`;

  return {
    sites: (signal) => getJson('/api/sites', signal),
    stats: (domain, period, signal) => getJson(`${site(domain)}/stats?${range(period)}`, signal),
    visitors: (domain, period, limit, signal) => getJson(`${site(domain)}/visitors?${range(period)}&limit=${limit}`, signal),
    journey: (domain, visitorId, signal) => getJson(`${site(domain)}/visitors/${encodeURIComponent(visitorId)}`, signal),
    person: (domain, personId, signal) => getJson(`${site(domain)}/people/${encodeURIComponent(personId)}`, signal),
    themes: (domain, signal) => getJson(`${site(domain)}/themes`, signal),
    saveThemes: (domain, themes) => sendJson('PUT', `${site(domain)}/themes`, themes),
    themeReport: (domain, period, signal) => getJson(`${site(domain)}/themes/report?${range(period)}`, signal),
    pageThemes: (domain, path, signal) => getJson(`${site(domain)}/pages/themes?path=${encodeURIComponent(path)}`, signal),
    tryPage: (domain, page) => sendJson('POST', `${site(domain)}/themes/score`, page),
    segments: (domain, signal) => getJson(`${site(domain)}/segments`, signal),
    createSegment: (domain, definition) => sendJson('POST', `${site(domain)}/segments`, definition),
    updateSegment: (domain, id, definition) => sendJson('PUT', segment(domain, id), definition),
    deleteSegment: (domain, id) => sendJson('DELETE', segment(domain, id)),
    previewSegment: (domain, definition) => sendJson('POST', `${site(domain)}/segments/preview`, definition),
    segmentMembers: (domain, id, signal) => getJson(`${segment(domain, id)}/members`, signal),
    segmentMembersCsv: async (domain, id) => (await request('GET', `${segment(domain, id)}/members?format=csv`, { accept: 'text/csv' })).blob(),
  };
}

/** The body as JSON, or undefined when it is not JSON (a proxy's HTML error page, an empty 204). */
async function readJson(response: Response, signal: AbortSignal | undefined): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    if (signal?.aborted) throw new DOMException('Aborted', 'AbortError');
    return undefined;
  }
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

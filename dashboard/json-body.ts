import type { Context } from 'hono';

/**
 * The request's JSON body, or the reason it is not one: a malformed body is answered "not valid
 * JSON" rather than with the schema's complaint about a missing object.
 */
export async function readJsonBody(c: Context): Promise<{ ok: true; body: unknown } | { ok: false; error: string }> {
  const text = await c.req.text();
  try {
    return { ok: true, body: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: text.trim() === '' ? 'body: a JSON object is required' : `body is not valid JSON: ${(error as Error).message}` };
  }
}

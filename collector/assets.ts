import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Context } from 'hono';

/** The project root: one level above both `collector/` (run from source) and `dist/` (the bundle). */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface Asset {
  body: Buffer;
  etag: string;
  contentType: string;
}

export class MissingAssetError extends Error {}

/** Reads a built file once at start; a missing bundle is a startup error that says how to build it. */
export function loadAsset(relativePath: string, contentType: string): Asset {
  let body: Buffer;
  try {
    body = readFileSync(new URL(relativePath, `file://${PROJECT_ROOT}`));
  } catch {
    throw new MissingAssetError(`${relativePath} is missing: run "npm run build" first`);
  }
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`;
  return { body, etag, contentType };
}

/** Answers with the asset, or 304 when the browser's copy is current. */
export function serveAsset(c: Context, asset: Asset, cacheControl: string) {
  c.header('ETag', asset.etag);
  c.header('Cache-Control', cacheControl);
  if (c.req.header('if-none-match') === asset.etag) return c.body(null, 304);
  return c.body(new Uint8Array(asset.body), 200, { 'Content-Type': asset.contentType });
}

/**
 * The baseline: Hono on @hono/node-server doing the least an ingest endpoint must (read the
 * body, answer 202), so the full pipeline's cost can be read as a ratio to it.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { answerRequests } from './child.ts';
import { createProcessStats } from './process-stats.ts';

const app = new Hono();
app.post('/e', async (c) => {
  await c.req.text();
  return c.json({ accepted: 1 }, 202);
});

const stats = createProcessStats();
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => console.log(`port ${info.port}`));

answerRequests({
  rss: () => stats.rss(),
  stats: () => stats.sample(),
  close: () =>
    new Promise<Record<string, never>>((resolve) => {
      server.close(() => resolve({}));
      if ('closeIdleConnections' in server) server.closeIdleConnections();
    }),
});

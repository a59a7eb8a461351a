import { Worker } from 'node:worker_threads';
import type { PageText, PageThemes, ThemeModelInfo, ThemeRule } from '../enrich/themes/index.ts';
import type { Db } from './store/database.ts';
import type { ScoredPage } from './store/page-themes.ts';
import { createThemeStore, type ThemeDefinition } from './store/themes.ts';
import type { EventWriter } from './writer.ts';

export interface ScorerThreadOptions {
  /** Where the compact word vectors are derived on first start and read from afterwards. */
  cacheDir: string;
  languageVectors?: Record<string, string>;
}

interface PageToScore {
  path: string;
  url: string;
  text: string;
  lang: string | null;
}

export type ScorerRequest =
  | { type: 'score'; id: number; themes: ThemeDefinition[]; rules: ThemeRule[]; pages: PageToScore[] }
  | { type: 'preview'; id: number; themes: ThemeDefinition[]; rules: ThemeRule[]; page: PageText };

export type ScorerReply =
  | { type: 'ready'; info: ThemeModelInfo }
  | { type: 'start-failed'; message: string }
  | { type: 'scored'; id: number; pages: ScoredPage[] }
  | { type: 'previewed'; id: number; result: PageThemes }
  | { type: 'failed'; id: number; message: string };

/** Pages sent to the scorer at once: a few milliseconds of its time, one transaction of the writer's. */
const PAGES_PER_BATCH = 200;

export interface ThemeScoring {
  /** Scores a page against the site's themes now, storing nothing (`POST /api/sites/:site/themes/score`). */
  preview(siteId: number, page: PageText): Promise<PageThemes>;
  /** The model, once loaded (loading it if no site needed it yet); rejects when it could not be. */
  readonly ready: Promise<ThemeModelInfo>;
  /** Looks for pages to score now rather than at the next tick (tests, a themes change). */
  nudge(): void;
  /** Resolves when no page waits for scores and every site's interest is current (tests, `waymark rebuild`). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Keeps page scores current, off the ingest path: a worker thread holds the model; this loop, on the
 * main thread, finds pages whose text or site themes changed since they were scored (a read of
 * `page_texts`), has the worker score them and the writer thread store the results; once a site's
 * pages are all scored after its themes changed, it asks the writer to compute its interest again.
 * Nothing here is on the path of an acknowledgement: ingest only records the text.
 */
export function startThemeScoring({
  options,
  readDb,
  writer,
  log,
  intervalMs = 1_000,
}: {
  options: ScorerThreadOptions;
  readDb: Db;
  writer: Pick<EventWriter, 'storePageThemes' | 'recomputeInterest'>;
  log: (line: string) => void;
  intervalMs?: number;
}): ThemeScoring {
  const pending = new Map<number, { resolve: (value: any) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let closed = false;
  let worker: Worker | null = null;
  let ready: Promise<ThemeModelInfo> | null = null;
  /** Set when the model could not be loaded: logged once, and pages are then left unscored. */
  let modelError: Error | null = null;

  // Started on first need (a site with themes, a preview): without themes the model's memory is not spent.
  function startWorker(): Promise<ThemeModelInfo> {
    if (ready) return ready;
    const thread = import.meta.url.endsWith('.ts')
      ? new Worker(new URL('./typescript-worker.mjs', import.meta.url), { workerData: { entry: new URL('./scorer-thread.ts', import.meta.url).href, options } })
      : new Worker(new URL('./scorer-thread.js', import.meta.url), { workerData: { options } });
    worker = thread;
    ready = new Promise<ThemeModelInfo>((resolve, reject) => {
      thread.on('message', (reply: ScorerReply) => {
        if (reply.type === 'ready') return resolve(reply.info);
        if (reply.type === 'start-failed') return reject(new Error(`theme model could not be loaded: ${reply.message}`));
        const waiting = pending.get(reply.id);
        pending.delete(reply.id);
        if (!waiting) return;
        if (reply.type === 'failed') waiting.reject(new Error(reply.message));
        else waiting.resolve(reply.type === 'scored' ? reply.pages : reply.result);
      });
      thread.on('error', (error) => reject(error));
      thread.on('exit', (code) => {
        const error = new Error(`scorer thread exited (code ${code})`);
        reject(error);
        for (const waiting of pending.values()) waiting.reject(error);
        pending.clear();
        // A thread that died after loading is started again by the next request (the next tick).
        if (worker === thread && !closed) {
          worker = null;
          ready = null;
          log(`themes: ${error.message}; it is started again when pages need scoring`);
        }
      });
    });
    ready.then(
      (info) =>
        log(
          `themes: ${info.words} words of ${info.dimensions} dimensions from ${info.vectors}, loaded in ${Math.round(info.loadMs)} ms` +
            `${info.derived ? ' (derived on this first start)' : ''}${info.frenchDictionary ? '' : '; no French dictionary, French pages are read as English'}`,
        ),
      (error: Error) => {
        modelError = error;
        log(`themes: pages are not scored: ${error.message}`);
      },
    );
    return ready;
  }

  function ask<T>(request: ScorerRequest extends infer R ? (R extends ScorerRequest ? Omit<R, 'id'> : never) : never): Promise<T> {
    return startWorker().then(
      () =>
        new Promise<T>((resolve, reject) => {
          const id = nextId++;
          pending.set(id, { resolve, reject });
          worker!.postMessage({ ...request, id });
        }),
    );
  }

  const themes = createThemeStore(readDb);
  const sitesToCheck = readDb.prepare(`
    SELECT id, themes_version AS version, interest_version AS interestVersion,
      EXISTS (SELECT 1 FROM themes WHERE site_id = sites.id) AS hasThemes
    FROM sites WHERE interest_version <> themes_version OR EXISTS (SELECT 1 FROM themes WHERE site_id = sites.id)`);
  const pagesToScore = readDb.prepare(`
    SELECT path, url, text, lang FROM page_texts
    WHERE site_id = ? AND (scored_version IS NOT ? OR scored_text IS NOT text) LIMIT ${PAGES_PER_BATCH}`);

  /** One pass over the sites: true when it did something, so another pass may find more. */
  async function pass(): Promise<boolean> {
    let worked = false;
    for (const site of sitesToCheck.all() as { id: number; version: number; interestVersion: number; hasThemes: number }[]) {
      if (closed) return false;
      const pages = site.hasThemes && !modelError ? (pagesToScore.all(site.id, site.version) as PageToScore[]) : [];
      if (pages.length > 0) {
        const { themes: list, rules } = themes.read(site.id);
        const scored = await ask<ScoredPage[]>({ type: 'score', themes: list, rules, pages });
        await writer.storePageThemes(site.id, site.version, scored);
        worked = true;
      } else if (site.interestVersion !== site.version) {
        await writer.recomputeInterest(site.id, site.version);
        worked = true;
      }
    }
    return worked;
  }

  let running: Promise<void> | null = null;
  let again = false;
  function run(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          while (!closed && (await pass()));
        } while (again && !closed);
      } catch (error) {
        if (!closed) log(`themes: scoring failed, retried at the next tick: ${(error as Error).message}`);
      } finally {
        running = null;
      }
    })();
    return running;
  }

  const timer = setInterval(() => void run(), intervalMs);
  timer.unref();
  void run();

  return {
    get ready() {
      return startWorker();
    },
    preview(siteId, page) {
      const { themes: list, rules } = themes.read(siteId);
      return ask<PageThemes>({ type: 'preview', themes: list, rules, page });
    },
    nudge() {
      void run();
    },
    async idle() {
      for (;;) {
        await run();
        const waiting = (sitesToCheck.all() as { id: number; version: number; interestVersion: number; hasThemes: number }[]).some(
          (site) => site.interestVersion !== site.version || (site.hasThemes && pagesToScore.all(site.id, site.version).length > 0),
        );
        if (!waiting) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async close() {
      closed = true;
      clearInterval(timer);
      await running?.catch(() => {});
      await worker?.terminate();
    },
  };
}

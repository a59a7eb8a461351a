// The scorer thread: holds the word vectors (tens of MiB) and scores page texts against a site's
// themes, so that neither the HTTP thread nor the writer thread ever waits for the model.
import { parentPort, workerData } from 'node:worker_threads';
import { LruCache } from '../enrich/lru.ts';
import { loadThemeModel, type PageText, type ThemeModel, type ThemeRule } from '../enrich/themes/index.ts';
import type { ScorerReply, ScorerRequest, ScorerThreadOptions } from './theme-scoring.ts';

const port = parentPort!;
const options = (workerData as { options: ScorerThreadOptions }).options;

/** A page text as stored (collector/store/page-texts.ts), read back for the model. */
function pageTextOf(url: string, text: string, lang: string | null): PageText {
  const fields = JSON.parse(text) as Record<string, string | null>;
  const given = (value: string | null | undefined) => value ?? undefined;
  return {
    url,
    title: given(fields.title),
    description: given(fields.description),
    keywords: given(fields.keywords),
    ogTitle: given(fields.ogTitle),
    ogDescription: given(fields.ogDescription),
    lang: lang ?? undefined,
  };
}

async function start() {
  let model: ThemeModel;
  try {
    model = await loadThemeModel({ cacheDir: options.cacheDir, languageVectors: options.languageVectors });
  } catch (error) {
    port.postMessage({ type: 'start-failed', message: (error as Error).message } satisfies ScorerReply);
    return;
  }
  port.postMessage({ type: 'ready', info: model.info } satisfies ScorerReply);
  // Theme vectors are prepared once per set of themes and rules: sites rarely change theirs.
  const scorers = new LruCache<string, ReturnType<ThemeModel['forThemes']>>(64);
  const scorerFor = (themes: ScorerRequest['themes'], rules: readonly ThemeRule[]) => {
    const key = JSON.stringify([themes, rules]);
    let scorer = scorers.get(key);
    if (!scorer) {
      scorer = model.forThemes(themes, rules);
      scorers.set(key, scorer);
    }
    return scorer;
  };

  port.on('message', (request: ScorerRequest) => {
    try {
      const scorer = scorerFor(request.themes, request.rules);
      if (request.type === 'preview') {
        port.postMessage({ type: 'previewed', id: request.id, result: scorer.score(request.page) } satisfies ScorerReply);
        return;
      }
      const pages = request.pages.map((page) => {
        const result = scorer.score(pageTextOf(page.url, page.text, page.lang));
        return { path: page.path, text: page.text, scores: result.scores, none: result.none, chosen: result.chosen, ruled: result.ruled };
      });
      port.postMessage({ type: 'scored', id: request.id, pages } satisfies ScorerReply);
    } catch (error) {
      port.postMessage({ type: 'failed', id: request.id, message: (error as Error).message } satisfies ScorerReply);
    }
  });
}

void start();

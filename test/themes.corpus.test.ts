// Labeled pages in English and French (../shared/data/themes, written for this project): the theme
// scorer with its default offline setup (bundled GloVe, the French dictionary when installed) must
// reach issue 5's targets on them. The same scorer is judged on a larger held-out set, so nothing
// here is tuned to these rows: the test only measures.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadTestModel } from '../enrich/themes/test-model.ts';
import type { PageThemes, Theme } from '../enrich/themes/index.ts';
import { sharedCorpus } from './shared-corpus.ts';

const corpus = sharedCorpus('themes', ['themes.json', 'pages-dev.jsonl']);

const TARGETS = { englishTop1: 0.85, frenchTop1: 0.65, noneRejected: 0.7, falseNone: 0.1 };

interface LabeledPage {
  id: string;
  lang: string;
  url: string;
  title: string;
  description: string;
  /** Primary first, then an optional secondary; empty for a page with no theme. */
  themes: string[];
  difficulty: 'easy' | 'medium' | 'hard';
}

interface Tally {
  right: number;
  total: number;
}

const share = ({ right, total }: Tally) => (total === 0 ? 0 : right / total);
const percent = (tally: Tally) => `${(100 * share(tally)).toFixed(1)}% (${tally.right}/${tally.total})`;

function count(tallies: Map<string, Tally>, key: string, right: boolean): void {
  const tally = tallies.get(key) ?? { right: 0, total: 0 };
  tally.total++;
  if (right) tally.right++;
  tallies.set(key, tally);
}

describe.skipIf(!corpus.present)('theme scoring on the labeled dev pages', async () => {
  const themes = JSON.parse(readFileSync(corpus.path('themes.json'), 'utf8')) as Theme[];
  const pages = readFileSync(corpus.path('pages-dev.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as LabeledPage);
  const model = await loadTestModel();
  const scorer = model.forThemes(themes);
  // The page's lang is not given: detecting it is part of what is measured.
  const results = pages.map((page) => ({ page, result: scorer.score({ url: page.url, title: page.title, description: page.description }) }));

  const top1 = new Map<string, Tally>();
  const noneRejected: Tally = { right: 0, total: 0 };
  const falseNone: Tally = { right: 0, total: 0 };
  const misses: string[] = [];
  const describeResult = (result: PageThemes) =>
    `${result.scores
      .slice(0, 2)
      .map((s) => `${s.themeId} ${s.score.toFixed(3)} [${s.words.join(', ')}]`)
      .join('; ')}; none ${result.none.toFixed(3)}`;
  for (const { page, result } of results) {
    if (page.themes.length === 0) {
      noneRejected.total++;
      if (result.chosen.length === 0) noneRejected.right++;
      else misses.push(`  none page given ${result.chosen.join(', ')}: ${page.title} | ${describeResult(result)}`);
      continue;
    }
    const right = page.themes.includes(result.scores[0]!.themeId);
    count(top1, page.lang, right);
    count(top1, `${page.lang} ${page.difficulty}`, right);
    falseNone.total++;
    if (result.chosen.length === 0) falseNone.right++;
    if (!right || result.chosen.length === 0) {
      misses.push(`  ${page.lang} ${page.difficulty} ${page.themes.join('+')}${result.chosen.length ? '' : ' (no theme)'}: ${page.title} | ${describeResult(result)}`);
    }
  }
  const languageDetected: Tally = { right: results.filter(({ page, result }) => page.lang === result.lang).length, total: results.length };

  it('prints its figures', () => {
    console.log(
      [
        `theme scoring, ${pages.length} dev pages, ${themes.length} themes (${model.info.words} words × ${model.info.dimensions}d, French dictionary: ${model.info.frenchDictionary ? 'yes' : 'no'})`,
        ...[...top1].sort(([a], [b]) => a.localeCompare(b)).map(([key, tally]) => `  top-1 ${key.padEnd(10)} ${percent(tally)}`),
        `  none pages rejected  ${percent(noneRejected)}`,
        `  false none           ${percent(falseNone)}`,
        `  language detected    ${percent(languageDetected)}`,
        'misses:',
        ...misses,
      ].join('\n'),
    );
    expect(results).toHaveLength(pages.length);
  });

  it(`finds the English theme first on at least ${TARGETS.englishTop1 * 100}% of the pages`, () => {
    expect(share(top1.get('en')!)).toBeGreaterThanOrEqual(TARGETS.englishTop1);
  });

  it(`finds the French theme first on at least ${TARGETS.frenchTop1 * 100}% of the pages`, () => {
    // The target is for the default setup, which reads French through Debian's dict-freedict-fra-eng.
    expect(model.info.frenchDictionary, 'the French dictionary is not installed (apt-get install dict-freedict-fra-eng)').not.toBeNull();
    expect(share(top1.get('fr')!)).toBeGreaterThanOrEqual(TARGETS.frenchTop1);
  });

  it(`gives no theme to at least ${TARGETS.noneRejected * 100}% of the pages that have none`, () => {
    expect(share(noneRejected)).toBeGreaterThanOrEqual(TARGETS.noneRejected);
  });

  it(`gives no theme to at most ${TARGETS.falseNone * 100}% of the pages that have one`, () => {
    expect(share(falseNone)).toBeLessThanOrEqual(TARGETS.falseNone);
  });
});

// The Themes page of a site: each theme's pages, traffic and interest over the period, what a page
// was scored (a top page clicked, or any page tried in the box), and the editor of themes and rules.

import type { ApiClient } from './api.ts';
import { pageviewsChart } from './chart.ts';
import { formatNumber, formatScore } from './format.ts';
import { field, formMessage, submitting } from './form.ts';
import { h } from './render.ts';
import { dataTable } from './table.ts';
import { themeEditor } from './theme-editor.ts';
import { chosenText, scoresTable, storedPageRows, triedPageRows } from './theme-scores.ts';
import type { SiteThemes, ThemeReport, ThemeReportResponse, ThemesResponse } from './types.ts';

export interface ThemesPageOptions {
  site: string;
  themes: ThemesResponse;
  report: ThemeReportResponse;
  api: Pick<ApiClient, 'saveThemes' | 'tryPage' | 'pageThemes'>;
  /** Called once themes are saved, with what to tell the marketer; the page is then loaded again. */
  onSaved: (notice: string) => void;
}

/** The name of a theme id from a list, or the id itself when the list lacks it (a theme since removed). */
export function themeNamer(themes: readonly { id: string; name: string }[]): (id: string) => string {
  const names = new Map(themes.map((theme) => [theme.id, theme.name]));
  return (id) => names.get(id) ?? id;
}

export function themesPage({ site, themes, report, api, onSaved }: ThemesPageOptions): HTMLElement {
  const themeName = themeNamer(themes.themes);
  const pagePanel = h('section', { class: 'card page-card', 'data-testid': 'page-themes', 'aria-live': 'polite', hidden: true });

  async function showPage(path: string) {
    pagePanel.hidden = false;
    pagePanel.replaceChildren(h('h2', null, 'Page ', h('code', null, path)), h('p', { class: 'loading' }, 'Loading…'));
    pagePanel.scrollIntoView({ block: 'nearest' });
    try {
      const page = await api.pageThemes(site, path);
      const chosen = page.scores.filter((score) => score.chosen).map((score) => score.themeId);
      pagePanel.replaceChildren(
        h('h2', null, 'Page ', h('code', null, page.path)),
        h('p', null, page.text.title ? h('strong', null, page.text.title) : null, page.text.description ? h('span', { class: 'muted' }, ` ${page.text.description}`) : null),
        h('p', { class: 'muted' }, `${page.url}${page.lang ? ` · read as ${page.lang}` : ''}`),
        page.scored
          ? h('p', null, 'Themes: ', h('strong', { 'data-testid': 'page-chosen' }, chosenText(chosen, themeName)))
          : h('p', { class: 'muted' }, 'Not scored against the current themes yet: scoring runs in the background.'),
        scoresTable(storedPageRows(page), themeName, 'page-scores'),
      );
    } catch (error) {
      const message = formMessage('page-error');
      message.show((error as Error).message);
      pagePanel.replaceChildren(h('h2', null, 'Page ', h('code', null, path)), message.element);
    }
  }

  const save = async (set: SiteThemes) => {
    const saved = await api.saveThemes(site, set);
    onSaved(`Themes saved (version ${saved.version}). Pages are being scored again in the background.`);
  };

  return h(
    'div',
    { class: 'themes-page', 'data-testid': 'themes-page' },
    themes.themes.length === 0
      ? h(
          'section',
          { class: 'card', 'data-testid': 'no-themes' },
          h('h2', null, 'No themes yet'),
          h('p', null, 'A theme is a name and one sentence about what its pages talk about, such as “Horse racing: tips, runners and results, racecourses, jockeys and trainers.” Add the first below.'),
        )
      : [
          scoredLine(report),
          h('div', { class: 'grid two' }, report.themes.map((theme) => themeCard(theme, themes.themes.find((t) => t.id === theme.id)?.description, showPage))),
          pagePanel,
          tryPageBox(site, api, themeName),
        ],
    themeEditor({ themes: themes.themes, rules: themes.rules, save }),
  );
}

function scoredLine({ pages }: ThemeReportResponse): HTMLElement {
  const behind = pages.pages - pages.scored;
  return h(
    'p',
    { class: 'dropped', 'data-testid': 'pages-scored' },
    `Pages scored: ${formatNumber(pages.scored)} of ${formatNumber(pages.pages)}`,
    behind > 0 ? ` (${formatNumber(behind)} waiting: scoring runs in the background)` : '',
  );
}

function themeCard(theme: ThemeReport, description: string | undefined, showPage: (path: string) => void): HTMLElement {
  return h(
    'section',
    { class: 'card theme-card', 'data-testid': 'theme-card', 'data-theme-id': theme.id },
    h('h2', null, h('span', { 'data-testid': 'theme-name' }, theme.name), ' ', h('code', { class: 'muted' }, theme.id)),
    description ? h('p', { class: 'muted theme-description' }, description) : null,
    h(
      'p',
      { class: 'theme-figures' },
      h('span', { 'data-testid': 'theme-pages' }, `${formatNumber(theme.pages)} ${theme.pages === 1 ? 'page' : 'pages'}`),
      ' · ',
      h('span', { 'data-testid': 'theme-pageviews' }, `${formatNumber(theme.pageviews)} ${theme.pageviews === 1 ? 'pageview' : 'pageviews'} in the period`),
    ),
    h('p', { class: 'legend' }, h('span', { class: 'key bars' }, 'Pageviews'), h('span', { class: 'key line', title: 'Minutes its pages were visible, a page counting in part when the theme is only its second' }, 'Interest (engaged minutes)')),
    pageviewsChart(theme.perDay, { width: 480, height: 170, testId: 'theme-chart', interest: (day) => day.interest }),
    dataTable({
      testId: 'theme-top-pages',
      rows: theme.topPages,
      share: (row) => row.pageviews,
      empty: 'No pageviews of its pages in this period.',
      columns: [
        // A button, not a link: it shows the page's scores here; the path is only text.
        { label: 'Top page', cell: (row) => h('button', { type: 'button', class: 'link path', 'data-testid': 'theme-top-page', title: `Scores of ${row.path}`, onclick: () => showPage(row.path) }, row.path) },
        { label: 'Score', numeric: true, cell: (row) => formatScore(row.score) },
        { label: 'Visitors', numeric: true, cell: (row) => formatNumber(row.visitors) },
        { label: 'Pageviews', numeric: true, cell: (row) => formatNumber(row.pageviews) },
      ],
    }),
  );
}

/** Scores any page, stored or not, without storing it: to check themes before saving them, or a page not yet visited. */
function tryPageBox(site: string, api: Pick<ApiClient, 'tryPage'>, themeName: (id: string) => string): HTMLElement {
  const url = h('input', { type: 'url', required: true, placeholder: `https://${site}/…`, maxlength: 2048, 'data-testid': 'try-url' });
  const title = h('input', { type: 'text', maxlength: 512, 'data-testid': 'try-title' });
  const description = h('textarea', { rows: 2, maxlength: 1024, 'data-testid': 'try-description' });
  const submit = h('button', { type: 'submit', 'data-testid': 'try-submit' }, 'Score');
  const result = h('div', { class: 'try-result', 'data-testid': 'try-result', 'aria-live': 'polite' });

  return h(
    'form',
    {
      class: 'card try-page',
      'data-testid': 'try-page',
      'aria-label': 'Try a page',
      onsubmit: async (event) => {
        event.preventDefault();
        result.replaceChildren(h('p', { class: 'loading' }, 'Scoring…'));
        const page = { url: url.value.trim(), ...(title.value.trim() ? { title: title.value.trim() } : {}), ...(description.value.trim() ? { description: description.value.trim() } : {}) };
        await submitting(
          [submit],
          async () => {
            const tried = await api.tryPage(site, page);
            result.replaceChildren(
              h('p', null, 'Themes: ', h('strong', { 'data-testid': 'try-chosen' }, chosenText(tried.chosen, themeName)), h('span', { class: 'muted' }, ` · read as ${tried.lang}`)),
              scoresTable(triedPageRows(tried), themeName, 'try-scores'),
            );
          },
          (message) => {
            const error = formMessage('try-error');
            error.show(message);
            result.replaceChildren(error.element);
          },
        );
      },
    },
    h('h2', null, 'Try a page'),
    h('p', { class: 'muted' }, 'See how a page would be scored, without storing anything.'),
    h('div', { class: 'fields' }, field('URL', url), field('Title', title)),
    field('Description', description, { wide: true }),
    h('div', { class: 'form-actions' }, submit),
    result,
  );
}

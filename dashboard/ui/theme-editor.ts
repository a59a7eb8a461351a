// The editor of a site's themes and rules. It PUTs the whole set, as the API takes it, and the
// server is the one judge of what is valid: its message (`themes.1.description: ...`) is shown as
// is, and the field it names is marked, since "themes.1" means the second row on screen.

import { field, formMessage, submitting } from './form.ts';
import { h } from './render.ts';
import type { SiteThemes, Theme, ThemeRule } from './types.ts';

export interface ThemeFields {
  id: string;
  name: string;
  description: string;
}

export interface RuleFields {
  themeId: string;
  effect: string;
  urlPattern: string;
  /** Comma-separated words or phrases. */
  words: string;
}

/** "Horse Racing & Betting" → "horse-racing-betting": the id the API accepts, suggested from a new theme's name. */
export function themeIdFrom(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
}

/**
 * The body of `PUT /themes` from the editor's fields, trimmed, one entry per row even when blank (so
 * the server's `themes.N` is the N+1th row); a rule's empty pattern or word list is left out.
 */
export function siteThemesFrom(themes: readonly ThemeFields[], rules: readonly RuleFields[]): SiteThemes {
  return {
    themes: themes.map((theme) => ({ id: theme.id.trim(), name: theme.name.trim(), description: theme.description.trim() })),
    rules: rules.map((rule) => {
      const words = splitList(rule.words);
      const urlPattern = rule.urlPattern.trim();
      return {
        themeId: rule.themeId,
        effect: rule.effect as ThemeRule['effect'],
        ...(urlPattern ? { urlPattern } : {}),
        ...(words.length > 0 ? { words } : {}),
      };
    }),
  };
}

/** "a, b ,, c" → ["a", "b", "c"]. */
export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** The row and field an API message names: "rules.0.themeId: ..." → { list: 'rules', index: 0, field: 'themeId' }. */
export function fieldOfError(message: string): { list: 'themes' | 'rules'; index: number; field: string | undefined } | undefined {
  const match = /^(themes|rules)\.(\d+)(?:\.(\w+))?:/.exec(message);
  return match ? { list: match[1] as 'themes' | 'rules', index: Number(match[2]), field: match[3] } : undefined;
}

interface Row<Fields> {
  element: HTMLElement;
  read(): Fields;
  /** The input for an API field name, to mark when the server refuses it. */
  input(field: string | undefined): HTMLElement;
}

export interface ThemeEditorOptions {
  themes: readonly Theme[];
  rules: readonly ThemeRule[];
  /** Sends the set; resolves when saved, rejects with the server's message. */
  save: (themes: SiteThemes) => Promise<void>;
}

export function themeEditor({ themes, rules, save }: ThemeEditorOptions): HTMLElement {
  const themeRows: Row<ThemeFields>[] = [];
  const ruleRows: Row<RuleFields>[] = [];
  const themeList = h('div', { class: 'editor-rows', 'data-testid': 'theme-rows' });
  const ruleList = h('div', { class: 'editor-rows', 'data-testid': 'rule-rows' });
  const message = formMessage('themes-error');
  const submit = h('button', { type: 'submit', 'data-testid': 'save-themes' }, 'Save themes');

  /** Rules pick among the themes on screen, saved or not. */
  function refreshRuleChoices() {
    const ids = themeRows.map((row) => row.read()).filter((theme) => theme.id.trim() !== '');
    for (const row of ruleRows) {
      const select = row.input('themeId') as HTMLSelectElement;
      const chosen = select.value || select.dataset.initial || '';
      select.replaceChildren(...ids.map((theme) => h('option', { value: theme.id.trim() }, `${theme.name.trim() || theme.id.trim()} (${theme.id.trim()})`)));
      // A rule naming a theme that is gone keeps its value, so the server says which rule is wrong.
      if (chosen && !ids.some((theme) => theme.id.trim() === chosen)) select.append(h('option', { value: chosen }, chosen));
      select.value = chosen || (ids[0]?.id.trim() ?? '');
    }
  }

  function removeRow<Fields>(rows: Row<Fields>[], row: Row<Fields>) {
    rows.splice(rows.indexOf(row), 1);
    row.element.remove();
    refreshRuleChoices();
  }

  function addTheme(theme: Theme | undefined) {
    const name = h('input', { type: 'text', value: theme?.name ?? '', required: true, maxlength: 100, 'data-testid': 'theme-name' });
    const id = h('input', { type: 'text', value: theme?.id ?? '', required: true, maxlength: 63, spellcheck: 'false', class: 'code', 'data-testid': 'theme-id' });
    const description = h('textarea', { rows: 2, required: true, maxlength: 500, 'data-testid': 'theme-description' }, theme?.description ?? '');
    // A new theme's id follows its name until the id is typed in: ids are what links and rules use.
    let idTyped = theme !== undefined;
    id.addEventListener('input', () => (idTyped = true));
    name.addEventListener('input', () => {
      if (!idTyped) id.value = themeIdFrom(name.value);
      refreshRuleChoices();
    });
    id.addEventListener('change', refreshRuleChoices);
    const row: Row<ThemeFields> = {
      element: h(
        'div',
        { class: 'editor-row theme-row', 'data-testid': 'theme-row' },
        field('Name', name),
        field('Id', id),
        field('Description: one sentence on what its pages talk about', description, { wide: true }),
        h('button', { type: 'button', class: 'remove', 'data-testid': 'remove-theme', onclick: () => removeRow(themeRows, row) }, 'Remove'),
      ),
      read: () => ({ id: id.value, name: name.value, description: description.value }),
      input: (field) => (field === 'name' ? name : field === 'description' ? description : id),
    };
    themeRows.push(row);
    themeList.append(row.element);
    if (!theme) name.focus();
  }

  function addRule(rule: ThemeRule | undefined) {
    const theme = h('select', { 'data-testid': 'rule-theme', 'data-initial': rule?.themeId ?? null });
    const effect = h(
      'select',
      { 'data-testid': 'rule-effect' },
      h('option', { value: 'force' }, 'force the theme'),
      h('option', { value: 'forbid' }, 'forbid the theme'),
    );
    effect.value = rule?.effect ?? 'force';
    const urlPattern = h('input', { type: 'text', value: rule?.urlPattern ?? '', placeholder: '/racing/**', maxlength: 256, class: 'code', 'data-testid': 'rule-url' });
    const words = h('input', { type: 'text', value: rule?.words?.join(', ') ?? '', placeholder: 'jockey, grand national', 'data-testid': 'rule-words' });
    const row: Row<RuleFields> = {
      element: h(
        'div',
        { class: 'editor-row rule-row', 'data-testid': 'rule-row' },
        field('Theme', theme),
        field('Effect', effect),
        field('URL pattern', urlPattern),
        field('Words (comma-separated)', words),
        h('button', { type: 'button', class: 'remove', 'data-testid': 'remove-rule', onclick: () => removeRow(ruleRows, row) }, 'Remove'),
      ),
      read: () => ({ themeId: theme.value, effect: effect.value, urlPattern: urlPattern.value, words: words.value }),
      input: (field) => (field === 'effect' ? effect : field === 'urlPattern' ? urlPattern : field === 'words' ? words : theme),
    };
    ruleRows.push(row);
    ruleList.append(row.element);
    refreshRuleChoices();
  }

  function showError(text: string | undefined) {
    message.show(text);
    for (const marked of form.querySelectorAll('[aria-invalid]')) marked.removeAttribute('aria-invalid');
    const named = text ? fieldOfError(text) : undefined;
    const row = named && (named.list === 'themes' ? themeRows : ruleRows)[named.index];
    if (row) {
      const input = row.input(named.field);
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    }
  }

  const form = h(
    'form',
    {
      class: 'card editor',
      'data-testid': 'theme-editor',
      'aria-label': 'Edit themes',
      onsubmit: async (event) => {
        event.preventDefault();
        showError(undefined);
        await submitting([submit], () => save(siteThemesFrom(themeRows.map((row) => row.read()), ruleRows.map((row) => row.read()))), showError);
      },
    },
    h('h2', null, 'Edit themes'),
    h('p', { class: 'muted' }, 'Pages are scored against each theme’s description. Saving scores every page again in the background.'),
    h('h3', null, 'Themes'),
    themeList,
    h('button', { type: 'button', 'data-testid': 'add-theme', onclick: () => addTheme(undefined) }, 'Add theme'),
    h('h3', null, 'Rules'),
    h('p', { class: 'muted' }, 'Rules override the model: pages whose path matches the pattern (* within a segment, ** across) and, if given, contain one of the words get or lose the theme. Forbidding wins.'),
    ruleList,
    h('button', { type: 'button', 'data-testid': 'add-rule', onclick: () => addRule(undefined) }, 'Add rule'),
    message.element,
    h('div', { class: 'form-actions' }, submit),
  );
  for (const theme of themes) addTheme(theme);
  for (const rule of rules) addRule(rule);
  return form;
}

import { textWords, type PageText } from './page-words.ts';

/**
 * A marketer's override, applied after scoring: `force` gives the page the theme, `forbid` takes it
 * away. A rule matches when its URL pattern matches the page's path and any of its words is in the
 * page's text; a rule with only one of the two needs only that one.
 */
export interface ThemeRule {
  themeId: string;
  effect: 'force' | 'forbid';
  /** A glob on the URL path: `*` is any run of characters within one segment, `**` any run at all ("/racing/**"). */
  urlPattern?: string;
  /** Whole words or phrases, any of which matches, ignoring case and accents ("jockey", "grand national"). */
  words?: string[];
}

export interface RuledTheme {
  themeId: string;
  effect: 'force' | 'forbid';
  /** The rule in words, for showing why the page has (or lacks) the theme. */
  rule: string;
}

/** Matches a URL path against a glob, ignoring case: marketers write "/Racing/*" and mean "/racing/…". */
export function globMatcher(pattern: string): (path: string) => boolean {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '*' && pattern[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (char === '*') source += '[^/]*';
    else source += char.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  const regex = new RegExp(`^${source}$`, 'i');
  return (path) => regex.test(path);
}

function pathOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const { pathname } = new URL(url);
    try {
      return decodeURIComponent(pathname);
    } catch {
      return pathname;
    }
  } catch {
    return url.startsWith('/') ? url : null;
  }
}

/** The page's text as one string of folded words between spaces, so a phrase is found as " a b ". */
function foldedText(page: PageText): string {
  const text = [page.title, page.description, page.keywords, page.ogTitle, page.ogDescription].filter(Boolean).join(' ');
  return ` ${textWords(text).map((w) => w.folded).join(' ')} `;
}

function describeRule(rule: ThemeRule): string {
  const parts: string[] = [];
  if (rule.urlPattern) parts.push(`URL ${rule.urlPattern}`);
  if (rule.words?.length) parts.push(`words ${rule.words.map((w) => `"${w}"`).join(', ')}`);
  return `${rule.effect} ${rule.themeId}: ${parts.join(' and ')}`;
}

/**
 * The rules prepared once for many pages: applies them to the themes the model chose. Forbidding
 * wins over forcing, so a marketer can always take a theme off a part of the site. Only rules that
 * changed the outcome are reported. A rule with neither a pattern nor words never matches.
 */
export function compileRules(rules: readonly ThemeRule[]): (page: PageText, chosen: readonly string[]) => { chosen: string[]; ruled: RuledTheme[] } {
  const compiled = rules
    .filter((rule) => rule.urlPattern || rule.words?.length)
    .map((rule) => ({
      rule,
      text: describeRule(rule),
      path: rule.urlPattern ? globMatcher(rule.urlPattern) : null,
      phrases: (rule.words ?? []).map((w) => ` ${textWords(w).map((t) => t.folded).join(' ')} `).filter((p) => p.trim()),
    }));
  return (page, modelChosen) => {
    if (compiled.length === 0) return { chosen: [...modelChosen], ruled: [] };
    const path = pathOf(page.url);
    let text: string | null = null;
    const matching = compiled.filter(({ path: matchPath, phrases }) => {
      if (matchPath && (path === null || !matchPath(path))) return false;
      if (phrases.length === 0) return true;
      text ??= foldedText(page);
      return phrases.some((phrase) => text!.includes(phrase));
    });
    const forbidden = new Set(matching.filter((m) => m.rule.effect === 'forbid').map((m) => m.rule.themeId));
    const chosen = modelChosen.filter((id) => !forbidden.has(id));
    const ruled: RuledTheme[] = [];
    for (const { rule, text: described } of matching) {
      const { themeId, effect } = rule;
      if (effect === 'forbid' ? !modelChosen.includes(themeId) : forbidden.has(themeId) || chosen.includes(themeId)) continue;
      if (effect === 'force') chosen.push(themeId);
      // One entry per theme: a second rule to the same effect changed nothing more.
      if (!ruled.some((r) => r.themeId === themeId)) ruled.push({ themeId, effect, rule: described });
    }
    return { chosen, ruled };
  };
}

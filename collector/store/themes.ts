import type { Db } from './database.ts';

/** A theme as a marketer defines it: what pages about it talk about, in one sentence. */
export interface ThemeDefinition {
  id: string;
  name: string;
  description: string;
}

/** Overrides the model for one theme: pages whose URL path matches, or whose text has one of the words. */
export interface ThemeRuleDefinition {
  themeId: string;
  effect: 'force' | 'forbid';
  urlPattern?: string;
  words?: string[];
}

export interface SiteThemes {
  themes: ThemeDefinition[];
  rules: ThemeRuleDefinition[];
  /** Bumped by every change: pages scored under another version are scored again. */
  version: number;
}

/** A site's themes and rules, read and replaced as a whole. */
export function createThemeStore(db: Db) {
  const themes = db.prepare('SELECT theme_id AS id, name, description FROM themes WHERE site_id = ? ORDER BY position');
  const rules = db.prepare('SELECT theme_id AS themeId, effect, url_pattern AS urlPattern, words FROM theme_rules WHERE site_id = ? ORDER BY position');
  const version = db.prepare('SELECT themes_version FROM sites WHERE id = ?').pluck();
  const deleteThemes = db.prepare('DELETE FROM themes WHERE site_id = ?');
  const deleteRules = db.prepare('DELETE FROM theme_rules WHERE site_id = ?');
  const insertTheme = db.prepare('INSERT INTO themes (site_id, theme_id, name, description, position) VALUES (?, ?, ?, ?, ?)');
  const insertRule = db.prepare('INSERT INTO theme_rules (site_id, position, theme_id, effect, url_pattern, words) VALUES (?, ?, ?, ?, ?, ?)');
  const bumpVersion = db.prepare('UPDATE sites SET themes_version = themes_version + 1 WHERE id = ?');
  // Scores of removed themes would otherwise linger on pages until they are scored again.
  const deleteStaleScores = db.prepare(`
    DELETE FROM page_themes WHERE site_id = ? AND theme_id NOT IN (SELECT theme_id FROM themes WHERE site_id = ?)`);

  function read(siteId: number): SiteThemes {
    return {
      themes: themes.all(siteId) as ThemeDefinition[],
      rules: (rules.all(siteId) as (Omit<ThemeRuleDefinition, 'words' | 'urlPattern'> & { urlPattern: string | null; words: string | null })[]).map(
        ({ urlPattern, words, ...rule }) => ({
          ...rule,
          ...(urlPattern === null ? {} : { urlPattern }),
          ...(words === null ? {} : { words: JSON.parse(words) as string[] }),
        }),
      ),
      version: (version.get(siteId) as number | undefined) ?? 0,
    };
  }

  return {
    read,
    /** Replaces the site's themes and rules; unchanged ones keep the version, so nothing is scored again. */
    replace(siteId: number, next: Omit<SiteThemes, 'version'>): SiteThemes {
      const current = read(siteId);
      if (JSON.stringify({ themes: current.themes, rules: current.rules }) === JSON.stringify({ themes: next.themes, rules: next.rules })) return current;
      db.transaction(() => {
        deleteThemes.run(siteId);
        deleteRules.run(siteId);
        next.themes.forEach((theme, position) => insertTheme.run(siteId, theme.id, theme.name, theme.description, position));
        next.rules.forEach((rule, position) =>
          insertRule.run(siteId, position, rule.themeId, rule.effect, rule.urlPattern ?? null, rule.words ? JSON.stringify(rule.words) : null),
        );
        deleteStaleScores.run(siteId, siteId);
        bumpVersion.run(siteId);
      })();
      return read(siteId);
    },
  };
}

export type ThemeStore = ReturnType<typeof createThemeStore>;

import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from './config.ts';
import { siteDomain } from './event-schema.ts';
import { describeThemesIssue, type SiteThemesInput, siteThemesSchema } from './theme-schema.ts';

/** A site's entry: `{themes, rules}`, or just the list of themes. */
const siteEntry = z.union([z.array(z.unknown()).transform((themes) => ({ themes })), z.record(z.string(), z.unknown())]);

/**
 * Reads `WAYMARK_THEMES`: a JSON object from site domain to that site's themes (and rules), applied
 * at start, so themes can live in version control. Every problem is reported at once, by site and path.
 */
export function readThemesFile(path: string): Map<string, SiteThemesInput> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError([`WAYMARK_THEMES: cannot read ${path}: ${(error as Error).message}`]);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError([`WAYMARK_THEMES: ${path} must hold an object from site domain to its themes, such as {"example.com": {"themes": [...]}}`]);
  }
  const problems: string[] = [];
  const sites = new Map<string, SiteThemesInput>();
  for (const [domain, value] of Object.entries(parsed)) {
    if (!siteDomain.safeParse(domain).success) {
      problems.push(`WAYMARK_THEMES: "${domain}" is not a site domain (a lower-case host name such as example.com)`);
      continue;
    }
    const entry = siteEntry.safeParse(value);
    const themes = entry.success ? siteThemesSchema.safeParse(entry.data) : null;
    if (!themes?.success) {
      problems.push(`WAYMARK_THEMES: ${domain}: ${themes ? describeThemesIssue(themes.error) : 'a list of themes or {"themes": [...], "rules": [...]}'}`);
      continue;
    }
    sites.set(domain, themes.data);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return sites;
}

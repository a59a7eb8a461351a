import { z } from 'zod';

/** Limits of a site's theme definitions (README, "Themes"). */
export const MAX_THEMES = 50;
export const MAX_RULES = 200;

const themeId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and "-", such as "horse-racing"');

export const themeSchema = z.strictObject({
  id: themeId,
  name: z.string().trim().min(1).max(100),
  // The sentence the model compares pages with: a few words are too little to go on.
  description: z.string().trim().min(10, 'at least 10 characters: a sentence about what pages of the theme talk about').max(500),
});

export const themeRuleSchema = z
  .strictObject({
    themeId,
    effect: z.enum(['force', 'forbid']),
    // A path pattern where * stands for any characters: "/racing/*".
    urlPattern: z.string().min(1).max(256).startsWith('/', 'a path pattern starting with "/", such as "/racing/*"').optional(),
    words: z.array(z.string().trim().min(1).max(64)).min(1).max(50).optional(),
  })
  .refine((rule) => rule.urlPattern !== undefined || rule.words !== undefined, 'a rule needs a urlPattern or words');

/** A site's themes and the rules that override the model, as PUT and the themes file give them. */
export const siteThemesSchema = z
  .strictObject({
    themes: z.array(themeSchema).max(MAX_THEMES),
    rules: z.array(themeRuleSchema).max(MAX_RULES).default([]),
  })
  .superRefine(({ themes, rules }, context) => {
    const ids = new Set<string>();
    themes.forEach((theme, i) => {
      if (ids.has(theme.id)) context.addIssue({ code: 'custom', path: ['themes', i, 'id'], message: `"${theme.id}" is given twice` });
      ids.add(theme.id);
    });
    rules.forEach((rule, i) => {
      if (!ids.has(rule.themeId)) context.addIssue({ code: 'custom', path: ['rules', i, 'themeId'], message: `no theme "${rule.themeId}"` });
    });
  });

export type SiteThemesInput = z.output<typeof siteThemesSchema>;

/** The first problem, named by its path (`themes.2.description: ...`). */
export function describeThemesIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message;
}

import { describe, expect, it } from 'vitest';
import { compileRules, globMatcher, type ThemeRule } from './rules.ts';

describe('globMatcher', () => {
  it.each([
    { pattern: '/racing/*', path: '/racing/gold-cup', matches: true },
    { pattern: '/racing/*', path: '/racing/2025/gold-cup', matches: false },
    { pattern: '/racing/**', path: '/racing/2025/gold-cup', matches: true },
    { pattern: '/racing/*', path: '/horse-racing/gold-cup', matches: false },
    { pattern: '/Racing/*', path: '/racing/gold-cup', matches: true },
    { pattern: '*/tips', path: '/racing/tips', matches: false },
    { pattern: '**/tips', path: '/racing/tips', matches: true },
    { pattern: '/a.b', path: '/axb', matches: false },
    { pattern: '/blog/*.html', path: '/blog/post.html', matches: true },
  ])('$pattern on $path: $matches', ({ pattern, path, matches }) => {
    expect(globMatcher(pattern)(path)).toBe(matches);
  });
});

describe('compileRules', () => {
  const page = { url: 'https://example.com/racing/gold-cup?x=1', title: 'The Grand National: Jockeys and Élite trainers' };

  it.each([
    {
      name: 'force adds a theme the model did not choose',
      rules: [{ themeId: 'horse-racing', effect: 'force', urlPattern: '/racing/*' }],
      chosen: ['travel'],
      expected: ['travel', 'horse-racing'],
      ruled: [{ themeId: 'horse-racing', effect: 'force', rule: 'force horse-racing: URL /racing/*' }],
    },
    {
      name: 'forbid removes a chosen theme',
      rules: [{ themeId: 'travel', effect: 'forbid', words: ['grand national'] }],
      chosen: ['travel', 'horse-racing'],
      expected: ['horse-racing'],
      ruled: [{ themeId: 'travel', effect: 'forbid', rule: 'forbid travel: words "grand national"' }],
    },
    {
      name: 'a rule that changes nothing is not reported',
      rules: [{ themeId: 'horse-racing', effect: 'force', words: ['jockeys'] }],
      chosen: ['horse-racing'],
      expected: ['horse-racing'],
      ruled: [],
    },
    {
      name: 'words match whole words only',
      rules: [{ themeId: 'cooking', effect: 'force', words: ['train'] }],
      chosen: [],
      expected: [],
      ruled: [],
    },
    {
      name: 'words ignore case and accents',
      rules: [{ themeId: 'fashion', effect: 'force', words: ['elite'] }],
      chosen: [],
      expected: ['fashion'],
      ruled: [{ themeId: 'fashion', effect: 'force', rule: 'force fashion: words "elite"' }],
    },
    {
      name: 'pattern and words must both match',
      rules: [{ themeId: 'fashion', effect: 'force', urlPattern: '/fashion/*', words: ['elite'] }],
      chosen: [],
      expected: [],
      ruled: [],
    },
    {
      name: 'forbidding wins over forcing',
      rules: [
        { themeId: 'travel', effect: 'force', words: ['jockeys'] },
        { themeId: 'travel', effect: 'forbid', urlPattern: '/racing/**' },
      ],
      chosen: [],
      expected: [],
      ruled: [],
    },
    {
      name: 'a rule with neither pattern nor words never matches',
      rules: [{ themeId: 'travel', effect: 'force' }],
      chosen: [],
      expected: [],
      ruled: [],
    },
  ] as { name: string; rules: ThemeRule[]; chosen: string[]; expected: string[]; ruled: unknown[] }[])('$name', ({ rules, chosen, expected, ruled }) => {
    const result = compileRules(rules)(page, chosen);
    expect(result.chosen).toEqual(expected);
    expect(result.ruled).toEqual(ruled);
  });

  it('a URL rule does not match a page without a URL', () => {
    const apply = compileRules([{ themeId: 'travel', effect: 'force', urlPattern: '/**' }]);
    expect(apply({ title: 'Anything' }, []).chosen).toEqual([]);
  });
});

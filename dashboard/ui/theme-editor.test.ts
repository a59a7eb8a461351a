import { describe, expect, it } from 'vitest';
import { fieldOfError, siteThemesFrom, splitList, themeIdFrom } from './theme-editor.ts';

describe('themeIdFrom', () => {
  it.each([
    { name: 'Horse racing', expected: 'horse-racing' },
    { name: '  Food & Drink!  ', expected: 'food-drink' },
    { name: 'Élections présidentielles', expected: 'elections-presidentielles' },
    { name: '<img src=x>', expected: 'img-src-x' },
    { name: '', expected: '' },
    { name: `${'a'.repeat(62)} b`, expected: 'a'.repeat(62) },
  ])('"$name" → "$expected"', ({ name, expected }) => {
    expect(themeIdFrom(name)).toBe(expected);
  });
});

describe('siteThemesFrom', () => {
  it('trims themes and keeps one per row, blank ones too, so the server\'s index is the row\'s', () => {
    const themes = [
      { id: ' racing ', name: ' Racing ', description: ' Horses and races. ' },
      { id: '', name: '', description: '' },
    ];
    expect(siteThemesFrom(themes, []).themes).toEqual([
      { id: 'racing', name: 'Racing', description: 'Horses and races.' },
      { id: '', name: '', description: '' },
    ]);
  });

  it.each([
    { name: 'pattern only', rule: { themeId: 'racing', effect: 'force', urlPattern: ' /racing/** ', words: '' }, expected: { themeId: 'racing', effect: 'force', urlPattern: '/racing/**' } },
    { name: 'words only', rule: { themeId: 'racing', effect: 'forbid', urlPattern: '', words: 'jockey, grand national,' }, expected: { themeId: 'racing', effect: 'forbid', words: ['jockey', 'grand national'] } },
    { name: 'neither (the server says so)', rule: { themeId: 'racing', effect: 'force', urlPattern: ' ', words: ' , ' }, expected: { themeId: 'racing', effect: 'force' } },
  ])('rule with $name', ({ rule, expected }) => {
    expect(siteThemesFrom([], [rule]).rules).toEqual([expected]);
  });
});

describe('splitList', () => {
  it('drops blanks and spaces around items', () => {
    expect(splitList(' a, b ,, c ')).toEqual(['a', 'b', 'c']);
    expect(splitList('')).toEqual([]);
  });
});

describe('fieldOfError', () => {
  it.each([
    { message: 'themes.1.description: at least 10 characters', expected: { list: 'themes', index: 1, field: 'description' } },
    { message: 'rules.0.themeId: no theme "golf"', expected: { list: 'rules', index: 0, field: 'themeId' } },
    { message: 'rules.2: a rule needs a urlPattern or words', expected: { list: 'rules', index: 2, field: undefined } },
    { message: 'themes: too many', expected: undefined },
    { message: 'Could not reach the Waymark server. Is it running?', expected: undefined },
  ])('$message', ({ message, expected }) => {
    expect(fieldOfError(message)).toEqual(expected);
  });
});

import { describe, expect, it } from 'vitest';
import { chosenText, storedPageRows, triedPageRows } from './theme-scores.ts';

const name = (id: string) => ({ racing: 'Horse racing', food: 'Cooking' })[id] ?? id;

describe('triedPageRows', () => {
  it('puts the "no theme" reference where its score falls, and says which rule changed what', () => {
    const rows = triedPageRows({
      lang: 'en',
      scores: [
        { themeId: 'racing', score: 0.2, words: ['jockey'] },
        { themeId: 'travel', score: 0.01, words: [] },
        { themeId: 'food', score: 0.05, words: ['oven'] },
      ],
      none: 0.08,
      chosen: ['racing', 'travel'],
      ruled: [{ themeId: 'travel', effect: 'force', rule: 'url /racing/gold-cup' }],
    });
    expect(rows.map((row) => [row.themeId, row.chosen, row.ruled])).toEqual([
      ['racing', true, null],
      [null, false, null],
      ['food', false, null],
      ['travel', true, 'forced by url /racing/gold-cup'],
    ]);
  });

  it('puts the reference last when every theme beats it', () => {
    const rows = triedPageRows({ lang: 'en', scores: [{ themeId: 'racing', score: 0.2, words: [] }], none: 0.1, chosen: ['racing'], ruled: [] });
    expect(rows.map((row) => row.themeId)).toEqual(['racing', null]);
  });
});

describe('storedPageRows', () => {
  it('orders best first and words a forbidding rule', () => {
    const rows = storedPageRows({
      path: '/x',
      url: 'https://example.com/x',
      text: {},
      lang: 'en',
      scored: true,
      scores: [
        { themeId: 'food', score: 0.05, chosen: false, words: [], ruled: null },
        { themeId: 'racing', score: 0.2, chosen: false, words: ['jockey'], ruled: { effect: 'forbid', rule: 'words "casino"' } },
      ],
    });
    expect(rows.map((row) => [row.themeId, row.ruled])).toEqual([
      ['racing', 'forbidden by words "casino"'],
      ['food', null],
    ]);
  });
});

describe('chosenText', () => {
  it.each([
    { chosen: ['racing', 'food'], expected: 'Horse racing, Cooking' },
    { chosen: ['gone'], expected: 'gone' },
    { chosen: [], expected: 'No theme' },
  ])('$chosen → $expected', ({ chosen, expected }) => {
    expect(chosenText(chosen, name)).toBe(expected);
  });
});

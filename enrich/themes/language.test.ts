import { describe, expect, it } from 'vitest';
import { detectLanguage } from './language.ts';

describe('detectLanguage', () => {
  it.each([
    { name: 'takes the lang attribute', page: { lang: 'fr-CA', title: 'The cars of the year' }, lang: 'fr' },
    { name: 'lower-cases the lang attribute', page: { lang: 'EN_gb', title: 'Les voitures' }, lang: 'en' },
    { name: 'keeps other declared languages', page: { lang: 'de', title: 'Die Autos des Jahres' }, lang: 'de' },
    { name: 'ignores a malformed lang', page: { lang: '??', title: 'Les voitures de l’année et leurs moteurs' }, lang: 'fr' },
    { name: 'detects English', page: { title: 'The best cars of the year', description: 'Which one would you buy?' }, lang: 'en' },
    { name: 'detects French', page: { title: 'Les meilleures voitures de l’année', description: 'Laquelle achèteriez-vous ?' }, lang: 'fr' },
    { name: 'counts French diacritics', page: { title: 'Crédit immobilier : taux en baisse' }, lang: 'fr' },
    { name: 'counts elisions', page: { title: "Acheter d'occasion" }, lang: 'fr' },
    { name: 'takes English when there is no evidence', page: { title: 'Football' }, lang: 'en' },
    { name: 'takes English for an empty page', page: {}, lang: 'en' },
  ])('$name', ({ page, lang }) => {
    expect(detectLanguage(page)).toBe(lang);
  });
});

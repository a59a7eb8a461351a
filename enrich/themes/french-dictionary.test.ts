import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { frenchHeadwordForms, readDictdDictionary } from './french-dictionary.ts';

const dir = mkdtempSync(join(tmpdir(), 'waymark-dict-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
function base64Number(value: number): string {
  let digits = '';
  do {
    digits = BASE64[value % 64] + digits;
    value = Math.floor(value / 64);
  } while (value > 0);
  return digits;
}

/** A dictd dictionary in FreeDict's layout, written the way dictfmt writes one. */
function dictd(entries: Record<string, string>): { dict: string; index: string } {
  let body = '';
  const index: string[] = [];
  for (const [headword, text] of Object.entries(entries)) {
    const offset = Buffer.byteLength(body);
    body += text;
    index.push(`${headword}\t${base64Number(offset)}\t${base64Number(Buffer.byteLength(text))}`);
  }
  const paths = { dict: join(dir, 'test.dict.dz'), index: join(dir, 'test.index') };
  writeFileSync(paths.dict, gzipSync(body));
  writeFileSync(paths.index, `${index.join('\n')}\n`);
  return paths;
}

describe('readDictdDictionary', () => {
  const dictionary = readDictdDictionary(
    dictd({
      '00databaseinfo': 'This is the information about the database\n',
      cheval: 'cheval /ʃəval/ <n, masc>\nhorse\n',
      argent: 'argent /aʀʒɑ̃/ <n, masc>\n1. silver\n2. money\n',
      voiture: 'voiture /vwatyʀ/ <n, fem>\nvehicle, car, motor car\n',
      évier: 'évier /evje/ <n, masc>\n(kitchen) sink\n',
      'être accro': 'être accro /ˈɛtʁ akʁˈo/ <v>\nbe addicted\n',
    }),
  )!;

  it('reads one-line and numbered senses', () => {
    expect(dictionary.senses('cheval')).toEqual([['horse']]);
    expect(dictionary.senses('argent')).toEqual([['silver'], ['money']]);
    expect(dictionary.senses('voiture')).toEqual([['vehicle', 'car', 'motor car']]);
  });

  it('folds headwords and drops notes in parentheses', () => {
    expect(dictionary.senses('evier')).toEqual([['sink']]);
  });

  it('leaves out the database entries and phrases', () => {
    expect(dictionary.headwords).toBe(4);
    expect(dictionary.senses('00databaseinfo')).toBeUndefined();
  });

  it('is null when the files are missing', () => {
    expect(readDictdDictionary({ dict: join(dir, 'none.dict.dz'), index: join(dir, 'none.index') })).toBeNull();
  });
});

describe('frenchHeadwordForms', () => {
  it.each([
    { word: 'chevaux', form: 'cheval' },
    { word: 'courses', form: 'course' },
    { word: 'chanteuse', form: 'chanteur' },
    { word: 'sportive', form: 'sportif' },
    { word: 'parisienne', form: 'parisien' },
    { word: 'gagnee', form: 'gagner' },
    { word: 'freine', form: 'freiner' },
    { word: 'reculent', form: 'reculer' },
    { word: 'mangeait', form: 'manger' },
  ])('$word may be $form', ({ word, form }) => {
    expect(frenchHeadwordForms(word)).toContain(form);
  });

  it('tries the word itself first', () => {
    expect(frenchHeadwordForms('cheval')[0]).toBe('cheval');
  });
});

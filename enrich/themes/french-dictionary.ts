import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { foldWord } from './page-words.ts';

/** Where Debian's `dict-freedict-fra-eng` puts the FreeDict French-English dictionary (GPL-2.0-or-later). */
export const FREEDICT_FRA_ENG = {
  dict: '/usr/share/dictd/freedict-fra-eng.dict.dz',
  index: '/usr/share/dictd/freedict-fra-eng.index',
};

/** French headwords (folded) and their English senses, each sense a list of translations. */
export interface BilingualDictionary {
  readonly headwords: number;
  senses(folded: string): readonly (readonly string[])[] | undefined;
}

// dictd writes offsets and lengths in base64 digits, most significant first.
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function decodeNumber(digits: string): number {
  let value = 0;
  for (const digit of digits) value = value * 64 + BASE64.indexOf(digit);
  return value;
}

/**
 * Reads a dictd dictionary (`.index` + `.dict.dz`). The `.dz` is dictzip, which is gzip with a
 * random-access table in an extra field, so gunzip reads it whole; at 375 kB unpacked there is no
 * need for random access. Each entry is "headword /pronunciation/ <part of speech>" followed by
 * either one line of translations or numbered senses ("1. silver" / "2. money"). Phrases
 * ("être accro") are left out: pages are looked up word by word. Returns null when the files are
 * not there, so a machine without the package scores French pages untranslated.
 */
export function readDictdDictionary(paths: { dict: string; index: string } = FREEDICT_FRA_ENG): BilingualDictionary | null {
  if (!existsSync(paths.dict) || !existsSync(paths.index)) return null;
  const body = gunzipSync(readFileSync(paths.dict));
  const entries = new Map<string, string[][]>();
  for (const line of readFileSync(paths.index, 'utf8').split('\n')) {
    const [headword, offset, length] = line.split('\t');
    if (!headword || !offset || !length || headword.startsWith('00database') || /\s/.test(headword.trim())) continue;
    const text = body.toString('utf8', decodeNumber(offset), decodeNumber(offset) + decodeNumber(length));
    const senses = text
      .split('\n')
      .slice(1)
      .map((sense) => sense.replace(/^\d+\.\s*/, '').replace(/\([^)]*\)/g, ''))
      .map((sense) => sense.split(',').map((t) => t.trim()).filter(Boolean))
      .filter((sense) => sense.length > 0);
    if (senses.length === 0) continue;
    const key = foldWord(headword.trim());
    entries.set(key, [...(entries.get(key) ?? []), ...senses]);
  }
  return { headwords: entries.size, senses: (folded) => entries.get(folded) };
}

/**
 * The forms under which a folded French word may be a headword, the word itself first: a
 * dictionary lists the masculine singular and the infinitive, pages use every inflection.
 * Deliberately crude (no stemmer): each rule is one common ending, tried in order.
 */
export function frenchHeadwordForms(folded: string): string[] {
  const forms = [folded];
  const singular = folded.endsWith('aux') ? `${folded.slice(0, -3)}al` : /[sx]$/.test(folded) ? folded.slice(0, -1) : folded;
  forms.push(singular);
  if (singular.endsWith('euse')) forms.push(`${singular.slice(0, -4)}eur`);
  if (singular.endsWith('ive')) forms.push(`${singular.slice(0, -3)}if`);
  if (singular.endsWith('elle') || singular.endsWith('enne')) forms.push(singular.slice(0, -2));
  if (singular.endsWith('ee')) forms.push(singular.slice(0, -1), `${singular.slice(0, -2)}er`);
  else if (singular.endsWith('e')) forms.push(singular.slice(0, -1), `${singular}r`);
  // Third person plural and imperfect of -er verbs: "reculent", "mangeait" ("mange" keeps its e before a).
  const verbStem = /(?:ent|ait|ais)$/.test(folded) ? folded.slice(0, -3) : null;
  if (verbStem) forms.push(verbStem.endsWith('e') ? `${verbStem}r` : `${verbStem}er`);
  return [...new Set(forms)].filter((form) => form.length > 1);
}

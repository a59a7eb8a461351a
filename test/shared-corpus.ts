import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface SharedCorpus {
  /** Whether every file the test needs is there. */
  present: boolean;
  /** The absolute path of a file of the corpus. */
  path(file: string): string;
}

/**
 * A third-party corpus from `../shared/data/FOLDER`, which sits beside our CI's checkout but not a
 * user's: `*.corpus.test.ts` files skip with a visible notice when it is missing.
 */
export function sharedCorpus(folder: string, files: readonly string[]): SharedCorpus {
  const base = new URL(`../../shared/data/${folder}/`, import.meta.url);
  const path = (file: string) => fileURLToPath(new URL(file, base));
  const present = files.every((file) => existsSync(path(file)));
  if (!present) console.warn(`corpus tests skipped: ${files.join(', ')} not found in ${fileURLToPath(base)}`);
  return { present, path };
}

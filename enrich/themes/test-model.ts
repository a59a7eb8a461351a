import { fileURLToPath } from 'node:url';
import { loadThemeModel, type ThemeModel } from './model.ts';

/**
 * Where tests keep the compact vectors derived from the bundled GloVe: under node_modules, so the
 * few seconds of the first derivation are paid once per install, not once per test file or run.
 * The file is named by the source's path, size and time, so a new package version derives anew.
 */
export const TEST_CACHE_DIR = fileURLToPath(new URL('../../node_modules/.cache/waymark-themes/', import.meta.url));

let shared: Promise<ThemeModel> | null = null;

/** The default offline model (bundled GloVe, the French dictionary if installed), loaded once per test worker. */
export function loadTestModel(): Promise<ThemeModel> {
  shared ??= loadThemeModel({ cacheDir: TEST_CACHE_DIR });
  return shared;
}

// Builds the three bundles: the tracker (dist/w.js), the dashboard UI (dist/dashboard.js)
// and the server (dist/waymark.js, run by bin/waymark.js), so `npm start` runs without tsx.
import { build } from 'esbuild';

await Promise.all([
  build({
    entryPoints: ['tracker/index.ts'],
    bundle: true,
    minify: true,
    format: 'iife',
    // ES2020 syntax (object spread, ?., catch without a binding) is shorter than its ES2017 spelling and
    // runs in every browser from 2020 on (Chrome 80, Safari 13.1, Firefox 74). An older browser fails to
    // parse w.js and counts nothing; the page itself is untouched, since a script's syntax error stays in it.
    target: 'es2020',
    // Without "use strict": every byte of w.js is in every page, and the code does not rely on it.
    tsconfigRaw: { compilerOptions: { alwaysStrict: false } },
    outfile: 'dist/w.js',
    logLevel: 'warning',
  }),
  build({
    entryPoints: ['dashboard/ui/app.ts'],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2020',
    outfile: 'dist/dashboard.js',
    logLevel: 'warning',
  }),
  build({
    // The writer and scorer threads are files of their own: a worker starts from a module path.
    entryPoints: { waymark: 'collector/cli.ts', 'writer-thread': 'collector/writer-thread.ts', 'scorer-thread': 'collector/scorer-thread.ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Dependencies stay in node_modules: better-sqlite3 is native, and the geo database is located through its package.
    packages: 'external',
    outdir: 'dist',
    logLevel: 'warning',
  }),
]);

#!/usr/bin/env node
// The `waymark` command runs the bundle that `npm run build` makes from collector/cli.ts.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/waymark.js', import.meta.url);
if (!existsSync(bundle)) {
  console.error('waymark: dist/waymark.js is missing: run "npm run build" first (npm start does it for you)');
  process.exit(1);
}
const { main } = await import(bundle.href);
await main(process.argv.slice(2));

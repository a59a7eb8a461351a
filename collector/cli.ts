import { createReadStream, existsSync } from 'node:fs';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { personId } from './event-schema.ts';
import { startCollector } from './server.ts';

const USAGE = `usage: waymark <command> [flags]

commands:
  serve      run the collector and dashboard (flags and WAYMARK_* variables: see README, "Configuration")
  rebuild    recompute sessions, visitors, people and interest from the raw events: waymark rebuild [--db FILE] [--site SITE]
  erase      delete every row of one visitor or person: waymark erase [--db FILE] --site SITE (--visitor ID | --person ID)
  purge      delete what has outlived retention now: waymark purge [--db FILE] [--retention-days N]
  import-crm import CRM traits, keyed by e-mail address, from a CSV file:
             waymark import-crm FILE.csv --site SITE [--email-column NAME] [--db FILE]

rebuild, erase and purge work on the file directly: stop the server first (or, for erase, use
DELETE /api/sites/:site/visitors/:id; a running server purges by itself every hour). import-crm
may run beside the server: it writes in short transactions of 1,000 rows.

Every flag can also be set as an environment variable: --port / PORT, --db / WAYMARK_DB, ...`;

async function serve(argv: string[]) {
  const config = loadConfig(argv, process.env);
  const collector = await startCollector(config);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: committing accepted events and stopping`);
    collector.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`stop failed: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

async function rebuild(argv: string[]) {
  const { own, rest, problems } = takeFlags(argv, ['site']);
  const config = loadConfigWith(rest, problems);
  const [{ rebuildDerived }, { openDatabase }, { createSiteRegistry }] = await Promise.all([
    import('./rebuild.ts'),
    import('./store/database.ts'),
    import('./sites.ts'),
  ]);
  let siteId: number | undefined;
  if (own.site !== undefined) {
    const db = openDatabase(existingDatabase(config), { readonly: true });
    try {
      siteId = createSiteRegistry(db).find(own.site)?.id;
    } finally {
      db.close();
    }
    if (siteId === undefined) throw new Error(`unknown site "${own.site}"`);
  }
  const counts = rebuildDerived(config, { siteId });
  const where = own.site ? ` of ${own.site}` : '';
  console.log(`rebuilt ${counts.sessions} sessions, ${counts.visitors} visitors and ${counts.people} people${where} from ${counts.events} events`);
}

// Erasure is done by the writer thread when the server runs; without one, on a connection of our own.
async function erase(argv: string[]) {
  // The subject is the command's own; the other flags (--db, --sync) are settings, read as `serve` reads them.
  const { own, seen, rest, problems } = takeFlags(argv, ['site', 'visitor', 'person']);
  if (!seen.has('site')) problems.push('--site is required: the site the visitor or person was seen on');
  if (seen.has('visitor') === seen.has('person')) problems.push('one of --visitor ID or --person ID is required: whose data to erase');
  if (own.person !== undefined && !personId.safeParse(own.person).success) problems.push('--person: a SHA-256 in lower-case hex (64 characters)');
  const config = loadConfigWith(rest, problems);
  const { site: domain, visitor, person } = own as { site: string; visitor?: string; person?: string };
  const [{ openDatabase }, { createSiteRegistry }, { erase: eraseSubject, nothingErased }] = await Promise.all([
    import('./store/database.ts'),
    import('./sites.ts'),
    import('./store/erasure.ts'),
  ]);
  const db = openDatabase(existingDatabase(config), { synchronous: config.sync });
  try {
    const site = createSiteRegistry(db).find(domain);
    if (!site) throw new Error(`unknown site "${domain}"`);
    const rules = { siteTimeZone: site.timeZone, sessionTimeoutMs: (site.sessionTimeoutMinutes ?? config.sessionTimeoutMinutes) * 60_000 };
    const erased = eraseSubject(db, visitor !== undefined ? { kind: 'visitor', siteId: site.id, visitorId: visitor } : { kind: 'person', siteId: site.id, personId: person!, rules });
    const who = visitor !== undefined ? `visitor "${visitor}"` : `person "${person}"`;
    if (nothingErased(erased)) throw new Error(`no ${who} on ${site.domain}`);
    const people = person !== undefined ? `, ${erased.identities} identify calls and ${erased.people} person rows` : '';
    console.log(`erased ${erased.events} events, ${erased.sessions} sessions${people ? ', ' : ' and '}${erased.visitors} visitors${people} of ${who} on ${site.domain}`);
  } finally {
    db.close();
  }
}

async function purge(argv: string[]) {
  const config = loadConfig(argv, process.env);
  const [{ openDatabase }, { purgeExpired, purgedNothing }, { describePurge }] = await Promise.all([
    import('./store/database.ts'),
    import('./store/retention.ts'),
    import('./retention-schedule.ts'),
  ]);
  const db = openDatabase(existingDatabase(config), { synchronous: config.sync });
  try {
    const counts = purgeExpired(db, Date.now(), config.retentionDays ?? null);
    console.log(purgedNothing(counts) ? 'nothing is past retention' : describePurge(counts));
  } finally {
    db.close();
  }
}

const PROGRESS_EVERY_ROWS = 50_000;

// The server keeps nothing of CRM traits in memory, so unlike erase this may run beside it: each batch
// is one short transaction, and the server's writer waits for it (busy_timeout) rather than failing.
async function importCrmFile(argv: string[]) {
  const file = argv[0]?.startsWith('--') === false ? argv[0] : undefined;
  const { own, seen, rest, problems } = takeFlags(file === undefined ? argv : argv.slice(1), ['site', 'email-column']);
  if (file === undefined) problems.push('the CSV file comes first: waymark import-crm FILE.csv --site SITE');
  if (!seen.has('site')) problems.push('--site is required: the site whose people the file describes');
  const config = loadConfigWith(rest, problems);
  const { site: domain, 'email-column': emailColumn } = own as { site: string; 'email-column'?: string };
  if (!existsSync(file!)) throw new Error(`no file at ${file}`);
  const [{ openDatabase }, { createSiteRegistry }, { importCrm }, { writeCrmTraits }] = await Promise.all([
    import('./store/database.ts'),
    import('./sites.ts'),
    import('./crm-import.ts'),
    import('./store/crm-traits.ts'),
  ]);
  const db = openDatabase(existingDatabase(config), { synchronous: config.sync });
  try {
    const site = createSiteRegistry(db).find(domain);
    if (!site) throw new Error(`unknown site "${domain}"`);
    const importedAt = Date.now();
    let reported = 0;
    const summary = await importCrm(createReadStream(file!), {
      emailColumn,
      write: (rows) => writeCrmTraits(db, site.id, rows, importedAt),
      onProgress({ rows }) {
        if (rows - reported < PROGRESS_EVERY_ROWS) return;
        reported = rows - (rows % PROGRESS_EVERY_ROWS);
        console.error(`read ${reported} rows…`);
      },
    });
    console.log(`${site.domain}: read ${summary.rows} rows, imported ${summary.imported}, skipped ${summary.skipped}; ${summary.matched} of the people imported are known from identify calls`);
    for (const { line, error } of summary.errors) console.error(`line ${line}: ${error}`);
    if (summary.moreErrors > 0) console.error(`and ${summary.moreErrors} more rows skipped`);
  } finally {
    db.close();
  }
}

/** Opening a mistyped path would create an empty database and report "no visitor": say so instead. */
function existingDatabase(config: Config): string {
  if (!existsSync(config.db)) throw new Error(`no database at ${config.db}`);
  return config.db;
}

/** `--name value` and `--name=value` for the command's own flags; the rest is left for `loadConfig`. */
function takeFlags<Name extends string>(argv: string[], names: readonly Name[]) {
  const own: Partial<Record<Name, string>> = {};
  const seen = new Set<Name>();
  const rest: string[] = [];
  const problems: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const match = /^--([^=]+)(?:=(.*))?$/s.exec(argv[i]!);
    const name = match?.[1] as Name | undefined;
    if (!match || !name || !names.includes(name)) {
      rest.push(argv[i]!);
      continue;
    }
    seen.add(name);
    // `--site --db x` is a forgotten value, not a site named "--db" (an id that starts so can be given as --visitor=--id).
    const value = match[2] ?? (argv[i + 1]?.startsWith('--') ? undefined : argv[++i]);
    if (value === undefined || value === '') problems.push(`--${name} needs a value`);
    else own[name] = value;
  }
  return { own, seen, rest, problems };
}

/** The settings, with the command's own problems reported together with theirs. */
function loadConfigWith(argv: string[], problems: string[]): Config {
  let config: Config | undefined;
  try {
    config = loadConfig(argv, process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  if (problems.length > 0 || !config) throw new ConfigError(problems);
  return config;
}

export async function main(args: string[]) {
  const [command, ...rest] = args;
  try {
    if (command === 'serve') await serve(rest);
    else if (command === 'rebuild') await rebuild(rest);
    else if (command === 'erase') await erase(rest);
    else if (command === 'purge') await purge(rest);
    else if (command === 'import-crm') await importCrmFile(rest);
    else {
      console.error(command && command !== 'help' && command !== '--help' ? `unknown command "${command}"\n\n${USAGE}` : USAGE);
      process.exitCode = command === 'help' || command === '--help' ? 0 : 2;
    }
  } catch (error) {
    // Configuration and startup problems are the user's to fix: say what, without a stack trace.
    if (error instanceof ConfigError) console.error(error.message);
    else console.error(`waymark: ${(error as Error).message}`);
    process.exit(1);
  }
}

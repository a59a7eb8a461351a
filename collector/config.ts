import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { parseTrustedProxies, type TrustedProxies } from './client-address.ts';
import { siteDomain } from './event-schema.ts';

/**
 * Every setting, with its flag, its environment variable and its default.
 * The README's "Configuration" table is written from this list.
 */
const settings = {
  port: { flag: 'port', env: 'PORT' },
  host: { flag: 'host', env: 'WAYMARK_HOST' },
  db: { flag: 'db', env: 'WAYMARK_DB' },
  geoip: { flag: 'geoip', env: 'WAYMARK_GEOIP' },
  adminToken: { flag: 'admin-token', env: 'WAYMARK_ADMIN_TOKEN' },
  sites: { flag: 'sites', env: 'WAYMARK_SITES' },
  demo: { flag: 'demo', env: 'WAYMARK_DEMO' },
  publicUrl: { flag: 'public-url', env: 'WAYMARK_PUBLIC_URL' },
  sessionTimeoutMinutes: { flag: 'session-timeout', env: 'WAYMARK_SESSION_TIMEOUT_MINUTES' },
  retentionDays: { flag: 'retention-days', env: 'WAYMARK_RETENTION_DAYS' },
  sync: { flag: 'sync', env: 'WAYMARK_SYNC' },
  trustedProxies: { flag: 'trusted-proxies', env: 'WAYMARK_TRUSTED_PROXIES' },
  themes: { flag: 'themes', env: 'WAYMARK_THEMES' },
  modelCache: { flag: 'model-cache', env: 'WAYMARK_MODEL_CACHE' },
  wordVectors: { flag: 'word-vectors', env: 'WAYMARK_WORD_VECTORS' },
} as const;

type SettingName = keyof typeof settings;

const list = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

const booleanText = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], { error: 'true or false' })
  .transform((value) => ['true', '1', 'yes', 'on'].includes(value));

const configSchema = z.strictObject({
  port: z.coerce.number({ error: 'a port number' }).int().min(0).max(65535).default(8080),
  host: z.string().min(1).default('0.0.0.0'),
  db: z.string().min(1).default('./data/waymark.db'),
  // Empty means the geo database bundled as an npm dependency.
  geoip: z.string().transform(list).default([]),
  adminToken: z
    .string()
    .min(16, 'at least 16 characters')
    .max(256)
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
    .optional(),
  // Empty means sites are created on their first event (open mode).
  sites: z
    .string()
    .transform(list)
    .pipe(z.array(siteDomain))
    .default([]),
  demo: booleanText.default(true),
  publicUrl: z.url({ protocol: /^https?$/, error: 'an http(s) URL' }).optional(),
  sessionTimeoutMinutes: z.coerce.number({ error: 'a number of minutes' }).int().min(1).max(24 * 60).default(30),
  // Unset keeps raw events for ever; a site's own setting (PATCH /api/sites/:site) wins over it.
  retentionDays: z.coerce.number({ error: 'a number of days' }).int().min(1).max(100 * 366).optional(),
  // FULL makes an acknowledged event survive a power cut as well as a process crash; NORMAL only the latter.
  sync: z.enum(['full', 'normal']).default('full'),
  // Without it, forwarding headers are ignored: any client could write them.
  trustedProxies: z
    .string()
    .transform((text, context): TrustedProxies => {
      const parsed = parseTrustedProxies(text);
      if ('error' in parsed) {
        context.addIssue({ code: 'custom', message: parsed.error });
        return z.NEVER;
      }
      return parsed;
    })
    .default({ kind: 'none' }),
  // A JSON file of sites' themes, applied at start (collector/themes-file.ts).
  themes: z.string().min(1).optional(),
  // Where the word vectors are compacted on first start; unset: a folder beside the database.
  modelCache: z.string().min(1).optional(),
  // Word-vector files (.vec) per page language, "fr=/data/cc.fr.vec,de=...": pages in those
  // languages are read with them (enrich/themes/model.ts); aligned vectors need "en=" too.
  wordVectors: z
    .string()
    .transform((text, context) => {
      const files: Record<string, string> = {};
      for (const entry of list(text)) {
        const match = /^([a-z]{2,3})=(.+)$/.exec(entry);
        if (!match) context.addIssue({ code: 'custom', message: `"${entry}" is not language=path, such as fr=/data/cc.fr.300.vec` });
        else if (!existsSync(match[2]!)) context.addIssue({ code: 'custom', message: `no file at ${match[2]} (for ${match[1]})` });
        else files[match[1]!] = match[2]!;
      }
      return files;
    })
    .default({}),
});

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Reads the configuration once, flags first, then `WAYMARK_*` variables, then defaults,
 * and reports every problem at once before anything is opened.
 */
export function loadConfig(argv: string[], env: Record<string, string | undefined>): Config {
  const problems: string[] = [];
  const knownFlags = new Set<string>(Object.values(settings).map((s) => s.flag));
  // Non-strict parsing, so an unknown flag is reported alongside the other problems rather than alone.
  const { values, positionals } = parseArgs({
    args: argv,
    options: Object.fromEntries([...knownFlags].map((flag) => [flag, { type: 'string' as const }])),
    strict: false,
    allowPositionals: true,
  });
  const flags: Record<string, string | undefined> = {};
  for (const [flag, value] of Object.entries(values)) {
    if (!knownFlags.has(flag)) problems.push(`unknown flag --${flag}`);
    else if (typeof value !== 'string') problems.push(`--${flag} needs a value`);
    else flags[flag] = value;
  }
  for (const positional of positionals) problems.push(`unexpected argument "${positional}"`);

  const raw: Partial<Record<SettingName, string>> = {};
  const origin: Partial<Record<SettingName, string>> = {};
  for (const [name, { flag, env: variable }] of Object.entries(settings) as [SettingName, (typeof settings)[SettingName]][]) {
    const fromFlag = flags[flag];
    const fromEnv = env[variable];
    if (fromFlag !== undefined) {
      raw[name] = fromFlag;
      origin[name] = `--${flag}`;
    } else if (fromEnv !== undefined && fromEnv !== '') {
      raw[name] = fromEnv;
      origin[name] = variable;
    }
  }

  const result = configSchema.safeParse(raw);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const name = issue.path[0] as SettingName;
      const where = origin[name] ?? settings[name]?.env ?? String(name);
      problems.push(`${where}: ${issue.message}`);
    }
  }
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  return result.data;
}

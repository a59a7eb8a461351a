import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('has defaults for the embedded setup', () => {
    expect(loadConfig([], {})).toEqual({
      port: 8080,
      host: '0.0.0.0',
      db: './data/waymark.db',
      geoip: [],
      sites: [],
      demo: true,
      sessionTimeoutMinutes: 30,
      sync: 'full',
      trustedProxies: { kind: 'none' },
      wordVectors: {},
    });
  });

  it('reads word-vector files per language, and names a bad entry or a missing file', () => {
    const file = new URL('../package.json', import.meta.url).pathname;
    expect(loadConfig([], { WAYMARK_WORD_VECTORS: `fr=${file}` }).wordVectors).toEqual({ fr: file });
    expect(() => loadConfig([], { WAYMARK_WORD_VECTORS: 'french.vec, de=/nowhere/de.vec' })).toThrow(ConfigError);
    try {
      loadConfig([], { WAYMARK_WORD_VECTORS: 'french.vec, de=/nowhere/de.vec' });
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        'WAYMARK_WORD_VECTORS: "french.vec" is not language=path, such as fr=/data/cc.fr.300.vec',
        'WAYMARK_WORD_VECTORS: no file at /nowhere/de.vec (for de)',
      ]);
    }
  });

  it('reads WAYMARK_* variables, and flags win over them', () => {
    const config = loadConfig(['--port', '9000', '--sites', 'a.example, b.example'], {
      PORT: '7000',
      WAYMARK_DB: '/var/lib/waymark/w.db',
      WAYMARK_GEOIP: '/geo/GeoLite2-City.mmdb',
      WAYMARK_DEMO: 'false',
      WAYMARK_ADMIN_TOKEN: 'a-long-enough-admin-token',
    });
    expect(config).toMatchObject({
      port: 9000,
      db: '/var/lib/waymark/w.db',
      geoip: ['/geo/GeoLite2-City.mmdb'],
      sites: ['a.example', 'b.example'],
      demo: false,
      adminToken: 'a-long-enough-admin-token',
    });
  });

  it('reads a retention in whole days, and has none by default', () => {
    expect(loadConfig([], { WAYMARK_RETENTION_DAYS: '90' }).retentionDays).toBe(90);
    expect(loadConfig(['--retention-days', '30'], { WAYMARK_RETENTION_DAYS: '90' }).retentionDays).toBe(30);
    expect(loadConfig([], {}).retentionDays).toBeUndefined();
    for (const days of ['0', '-5', '1.5', 'forever']) {
      expect(() => loadConfig(['--retention-days', days], {}), days).toThrow(/--retention-days: /);
    }
  });

  it('reports every problem at once, each with where it came from', () => {
    let error: unknown;
    try {
      loadConfig(['--port', 'eighty', '--bogus=x'], { WAYMARK_ADMIN_TOKEN: 'short', WAYMARK_SITES: 'Bad Site', WAYMARK_SYNC: 'sometimes' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toEqual([
      expect.stringMatching(/--bogus/),
      expect.stringMatching(/^--port: a port number/),
      expect.stringMatching(/^WAYMARK_ADMIN_TOKEN: at least 16 characters/),
      expect.stringMatching(/^WAYMARK_SITES: .*host name/),
      expect.stringMatching(/^WAYMARK_SYNC: /),
    ]);
  });
});

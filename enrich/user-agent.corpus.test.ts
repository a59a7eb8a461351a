import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { sharedCorpus } from '../test/shared-corpus.ts';
import { createUserAgentParser } from './user-agent.ts';
import type { DeviceType } from './user-agent.ts';

// uap-core's device test cases (Apache-2.0, kept outside the repo): some 16,000
// user agents, each with the device family, brand and model uap-core expects.
const corpus = sharedCorpus('user-agents/uap-core', ['tests/test_device.yaml']);
const present = corpus.present;
const devicePath = corpus.path('tests/test_device.yaml');

const MIN_AGREEMENT = 0.95;

interface DeviceCase {
  userAgent: string;
  family: string;
}

/**
 * uap-core's `family` names a device model ("Samsung SM-T520"), not a type. A
 * type is expected only where the family itself names the kind of device, so
 * the mapping never rests on knowing model numbers, and never on our own parser.
 */
const EXPECTED_BY_FAMILY: readonly [RegExp, DeviceType][] = [
  [/^(iPhone|iPod|Generic Smartphone|Generic Feature Phone)$/, 'mobile'],
  [/\bWindows Phone\b/, 'mobile'],
  [/^(iPad|Generic Tablet)$/, 'tablet'],
  [/\bTablet\b/, 'tablet'],
  [/^Kindle Fire\b/, 'tablet'],
  [/^Mac$/, 'desktop'],
];

// "Other" is uap-core finding no device; with a desktop OS named in the UA it is a desktop.
const DESKTOP_OS_IN_UA = /\b(Windows NT|Windows \d|Windows (95|98|2000|XP)|Macintosh|Mac_PowerPC|X11)\b/;

function expectedType({ userAgent, family }: DeviceCase): DeviceType | null {
  // Crawlers ("Spider") are left out: the parser never says 'bot' (bot.ts
  // decides that, with its own corpus test), so counting them would measure
  // nothing of the parser.
  if (family === 'Other') return DESKTOP_OS_IN_UA.test(userAgent) ? 'desktop' : null;
  return EXPECTED_BY_FAMILY.find(([pattern]) => pattern.test(family))?.[1] ?? null;
}

/**
 * Reads the `- user_agent_string: …` / `family: …` entries of uap-core's test
 * files, which use one scalar per line, single- or double-quoted.
 */
function readDeviceCases(text: string): DeviceCase[] {
  const cases: DeviceCase[] = [];
  for (const line of text.split('\n')) {
    const userAgent = /^\s*- user_agent_string:\s*(.*)$/.exec(line);
    if (userAgent) {
      cases.push({ userAgent: yamlScalar(userAgent[1]!), family: '' });
      continue;
    }
    const family = /^\s+family:\s*(.*)$/.exec(line);
    const current = cases.at(-1);
    if (family && current) current.family = yamlScalar(family[1]!);
  }
  return cases;
}

function yamlScalar(raw: string): string {
  const value = raw.trim();
  if (value.startsWith("'") && value.endsWith("'")) return value.slice(1, -1).replaceAll("''", "'");
  if (value.startsWith('"') && value.endsWith('"')) return value.slice(1, -1).replace(/\\(["\\])/g, '$1');
  return value;
}

describe.skipIf(!present)('device type on uap-core test_device.yaml', () => {
  const text = present ? readFileSync(devicePath, 'utf8') : '';
  const cases = readDeviceCases(text);

  it('reads every case of the file', () => {
    expect(cases.length).toBe(text.match(/^\s*- user_agent_string:/gm)?.length);
    expect(cases.every((entry) => entry.family !== '')).toBe(true);
  });

  it(`agrees on at least ${MIN_AGREEMENT * 100}% of the cases whose family names a phone, tablet or desktop`, () => {
    const parseUserAgent = createUserAgentParser();
    const judged = cases.flatMap((entry) => {
      const expected = expectedType(entry);
      return expected ? [{ ...entry, expected, actual: parseUserAgent(entry.userAgent).deviceType }] : [];
    });
    const disagreements = judged.filter(({ expected, actual }) => expected !== actual);
    const agreed = judged.length - disagreements.length;
    const share = agreed / judged.length;
    console.log(
      `uap-core device type: ${agreed}/${judged.length} agree (${(share * 100).toFixed(1)}%), ` +
        `${cases.length - judged.length} of ${cases.length} cases not judged (family names no kind of device)`,
    );
    const listed = disagreements.map(
      ({ family, expected, actual, userAgent }) => `  ${family}: expected ${expected}, got ${actual} | ${userAgent}`,
    );
    console.log(`disagreements:\n${listed.join('\n')}`);
    expect(judged.length).toBeGreaterThan(100);
    expect(share).toBeGreaterThanOrEqual(MIN_AGREEMENT);
  });
});

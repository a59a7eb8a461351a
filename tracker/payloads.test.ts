import { describe, expect, it } from 'vitest';
import { flatProps } from './payloads.ts';

const manyKeys = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, i]));

describe('flatProps', () => {
  it.each([
    { name: 'keeps strings, finite numbers and booleans', input: { plan: 'pro', n: 3, ok: true, zero: 0, no: false, empty: '' }, expected: { plan: 'pro', n: 3, ok: true, zero: 0, no: false, empty: '' } },
    { name: 'drops nested objects and arrays', input: { plan: 'pro', nested: { x: 1 }, list: [1, 2] }, expected: { plan: 'pro' } },
    { name: 'drops null, undefined, functions and symbols', input: { a: null, b: undefined, c: () => 1, d: Symbol('s'), e: 'kept' }, expected: { e: 'kept' } },
    { name: 'drops numbers JSON would turn into null', input: { nan: NaN, inf: Infinity, ninf: -Infinity, n: 1.5 }, expected: { n: 1.5 } },
    { name: 'cuts strings to 512 characters', input: { long: 'x'.repeat(600) }, expected: { long: 'x'.repeat(512) } },
    { name: 'cuts keys to 64 characters', input: { ['k'.repeat(80)]: 1 }, expected: { ['k'.repeat(64)]: 1 } },
    { name: 'drops the empty key', input: { '': 1, a: 2 }, expected: { a: 2 } },
    { name: 'keeps the first 30 properties', input: manyKeys, expected: Object.fromEntries(Object.entries(manyKeys).slice(0, 30)) },
    { name: 'is absent when nothing is left', input: { nested: {} }, expected: undefined },
    { name: 'is absent for an empty object', input: {}, expected: undefined },
    { name: 'is absent for a string', input: 'plan=pro', expected: undefined },
    { name: 'is absent for null', input: null, expected: undefined },
    { name: 'is absent for undefined', input: undefined, expected: undefined },
  ])('$name', ({ input, expected }) => {
    expect(flatProps(input)).toStrictEqual(expected);
  });
});

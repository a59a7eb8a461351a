import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { eventId, forgetVisitorId, hex, personId, randomId, readVisitorId, VISITOR_KEY } from './ids.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('hex', () => {
  it('writes each byte as two lower-case digits, zero-padded', () => {
    expect(hex(new Uint8Array([0, 1, 15, 16, 171, 255]))).toBe('00010f10abff');
    expect(hex(new Uint8Array([]))).toBe('');
  });
});

describe('randomId and eventId', () => {
  it('makes a visitor id of 32 hex digits (128 bits), new each time', () => {
    const ids = Array.from({ length: 100 }, randomId);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(ids).size).toBe(100);
  });

  it('starts an event id with the clock in base 36, so ids made together sort together', () => {
    const id = eventId();
    expect(id).toMatch(/^[0-9a-z]{8}[0-9a-f]{24}$/);
    expect(Math.abs(parseInt(id.slice(0, 8), 36) - Date.now())).toBeLessThan(1000);
  });
});

describe('personId', () => {
  it.each([
    { name: 'an address as typed', input: 'ana@example.com', normalised: 'ana@example.com' },
    { name: 'capitals', input: 'Ana@Example.COM', normalised: 'ana@example.com' },
    { name: 'spaces around it', input: '  ana@example.com\n', normalised: 'ana@example.com' },
    { name: 'a user id', input: 'user-42', normalised: 'user-42' },
    { name: 'non-ASCII, hashed as UTF-8', input: 'Zoë@Example.com', normalised: 'zoë@example.com' },
  ])('is the SHA-256 in lower-case hex of the trimmed, lower-cased text: $name', async ({ input, normalised }) => {
    expect(await personId(input)).toBe(sha256(normalised));
  });

  it.each(['', '   ', '\t\n'])('rejects a blank address (%j), which would make one person of everybody', async (input) => {
    await expect(personId(input)).rejects.toBeUndefined();
  });
});

// readVisitorId and forgetVisitorId in Node, with the browser's navigator and localStorage stood in.
describe('visitor id storage', () => {
  let store: Map<string, string>;
  let nav: { doNotTrack?: string; globalPrivacyControl?: boolean };

  beforeEach(() => {
    store = new Map();
    nav = {};
    vi.stubGlobal('navigator', nav);
    vi.stubGlobal('localStorage', {
      getItem: (key: string) => store.get(key) ?? null,
      setItem: (key: string, value: string) => void store.set(key, value),
      removeItem: (key: string) => void store.delete(key),
    });
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('creates an id on first use and reads the same one back', () => {
    const id = readVisitorId();
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(store.get(VISITOR_KEY)).toBe(id);
    expect(readVisitorId()).toBe(id);
  });

  it('keeps an id of the older format (22 characters of URL-safe base64)', () => {
    store.set(VISITOR_KEY, 'AbCdEfGhIjKlMnOpQrSt_-');
    expect(readVisitorId()).toBe('AbCdEfGhIjKlMnOpQrSt_-');
  });

  it('replaces a value it did not write', () => {
    store.set(VISITOR_KEY, 'edited by hand');
    expect(readVisitorId()).toMatch(/^[0-9a-f]{32}$/);
  });

  describe('storedOnly (consent mode before consent)', () => {
    it('writes nothing when no id is stored', () => {
      expect(readVisitorId(true)).toBeUndefined();
      expect(store.size).toBe(0);
    });

    it('reads an id stored after consent on an earlier page', () => {
      store.set(VISITOR_KEY, 'a'.repeat(32));
      expect(readVisitorId(true)).toBe('a'.repeat(32));
    });

    it('neither uses nor replaces a value it did not write', () => {
      store.set(VISITOR_KEY, 'edited by hand');
      expect(readVisitorId(true)).toBeUndefined();
      expect(store.get(VISITOR_KEY)).toBe('edited by hand');
    });
  });

  it.each([
    { name: 'Do-Not-Track', signal: { doNotTrack: '1' } },
    { name: 'Global Privacy Control', signal: { globalPrivacyControl: true } },
  ])('under $name, reads and writes nothing, even an id stored before', ({ signal }) => {
    Object.assign(nav, signal);
    const getItem = vi.spyOn(localStorage, 'getItem');
    expect(readVisitorId()).toBeUndefined();
    store.set(VISITOR_KEY, 'a'.repeat(32));
    expect(readVisitorId(true)).toBeUndefined();
    expect(getItem).not.toHaveBeenCalled();
  });

  it('sends no visitor when storage throws, rather than a new id per page', () => {
    vi.stubGlobal('localStorage', {
      getItem: () => {
        throw new Error('blocked');
      },
    });
    expect(readVisitorId()).toBeUndefined();
  });

  it('forgets the stored id, and does not throw where storage is blocked', () => {
    store.set(VISITOR_KEY, 'a'.repeat(32));
    forgetVisitorId();
    expect(store.has(VISITOR_KEY)).toBe(false);
    vi.stubGlobal('localStorage', undefined);
    expect(() => forgetVisitorId()).not.toThrow();
  });
});

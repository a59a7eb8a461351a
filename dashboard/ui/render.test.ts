import { describe, expect, it } from 'vitest';
import { assertSafeAttribute } from './render.ts';

describe('assertSafeAttribute', () => {
  describe('allows', () => {
    it.each([
      { name: 'class', value: 'card' },
      { name: 'data-testid', value: 'kpi-visitors' },
      { name: 'title', value: '<img src=x onerror=alert(1)>' },
      { name: 'href', value: '#site=example.com&visitor=javascript%3Aalert(1)' },
      { name: 'aria-label', value: 'Site' },
      { name: 'viewBox', value: '0 0 10 10' },
    ])('$name="$value"', ({ name, value }) => {
      expect(() => assertSafeAttribute(name, value)).not.toThrow();
    });
  });

  describe('refuses', () => {
    it.each([
      { name: 'onclick', value: 'alert(1)' },
      { name: 'ONLOAD', value: 'alert(1)' },
      { name: 'href', value: 'javascript:alert(1)' },
      { name: 'href', value: ' javascript:alert(1)' },
      { name: 'href', value: '/pricing' },
      { name: 'href', value: 'https://evil.example/' },
      { name: 'xlink:href', value: 'javascript:alert(1)' },
      { name: 'src', value: 'https://evil.example/x.png' },
      { name: 'formaction', value: 'javascript:alert(1)' },
      { name: 'style', value: 'background:url(x)' },
      { name: 'srcdoc', value: '<script>alert(1)</script>' },
      { name: 'x onload', value: '' },
    ])('$name="$value"', ({ name, value }) => {
      expect(() => assertSafeAttribute(name, value)).toThrow();
    });
  });
});

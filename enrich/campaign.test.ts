import { describe, it, expect } from 'vitest';
import { MAX_CAMPAIGN_VALUE_LENGTH, parseCampaign } from './campaign.ts';
import type { Campaign } from './campaign.ts';

const none: Campaign = { source: null, medium: null, campaign: null, term: null, content: null, clickId: null };

const cases: { name: string; query: string; expected: Campaign }[] = [
  { name: 'no campaign keys', query: '', expected: none },
  {
    name: 'all five UTM tags',
    query: 'utm_source=newsletter&utm_medium=email&utm_campaign=Spring%20Sale&utm_term=running+shoes&utm_content=hero-button',
    expected: {
      source: 'newsletter',
      medium: 'email',
      campaign: 'Spring Sale',
      term: 'running shoes',
      content: 'hero-button',
      clickId: null,
    },
  },
  {
    name: 'lower-cases the source only',
    query: 'utm_source=NewsLetter&utm_medium=Email&utm_campaign=Spring',
    expected: { ...none, source: 'newsletter', medium: 'Email', campaign: 'Spring' },
  },
  {
    name: 'trims values',
    query: 'utm_source=%20google%20&utm_medium=%09cpc%0A',
    expected: { ...none, source: 'google', medium: 'cpc' },
  },
  {
    name: 'empty and blank values are absent',
    query: 'utm_source=&utm_medium=%20%20&utm_campaign',
    expected: none,
  },
  {
    name: 'names the click id without keeping its value',
    query: 'gclid=Cj0KCQiA-secret-token',
    expected: { ...none, clickId: 'gclid' },
  },
  {
    name: 'click id alongside UTM tags',
    query: 'utm_source=facebook&utm_medium=paid_social&fbclid=IwAR2abc',
    expected: { ...none, source: 'facebook', medium: 'paid_social', clickId: 'fbclid' },
  },
  {
    name: 'an empty click id is absent',
    query: 'msclkid=&ttclid=abc',
    expected: { ...none, clickId: 'ttclid' },
  },
  {
    name: "an ad platform's click id wins over fbclid, which organic shares carry too",
    query: 'fbclid=IwAR2abc&msclkid=def',
    expected: { ...none, clickId: 'msclkid' },
  },
  {
    name: 'the first value of a repeated tag wins',
    query: 'utm_source=first&utm_source=second',
    expected: { ...none, source: 'first' },
  },
];

describe('parseCampaign', () => {
  it.each(cases)('$name', ({ query, expected }) => {
    expect(parseCampaign(new URLSearchParams(query))).toEqual(expected);
  });

  it.each(['gclid', 'fbclid', 'msclkid', 'ttclid', 'twclid', 'li_fat_id', 'dclid', 'gbraid', 'wbraid'])(
    'recognises %s as a click id',
    (key) => {
      expect(parseCampaign(new URLSearchParams({ [key]: 'x' })).clickId).toBe(key);
    },
  );

  it(`cuts values to ${MAX_CAMPAIGN_VALUE_LENGTH} characters`, () => {
    const campaign = parseCampaign(new URLSearchParams({ utm_campaign: 'x'.repeat(1000) }));
    expect(campaign.campaign).toHaveLength(MAX_CAMPAIGN_VALUE_LENGTH);
  });

  it('does not cut an emoji in half at the limit', () => {
    const value = 'x'.repeat(MAX_CAMPAIGN_VALUE_LENGTH - 1) + '🎉';
    const campaign = parseCampaign(new URLSearchParams({ utm_campaign: value }));
    expect(campaign.campaign).toBe('x'.repeat(MAX_CAMPAIGN_VALUE_LENGTH - 1));
  });
});

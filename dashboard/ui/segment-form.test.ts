import { describe, expect, it } from 'vitest';
import { DEFAULT_FIELDS, readSegmentFields, segmentFieldsOf } from './segment-form.ts';

const fields = { ...DEFAULT_FIELDS, name: ' Racing fans ', themeId: 'horse-racing' };

describe('readSegmentFields', () => {
  it('reads the defaults as numbers, leaving the optional filters out', () => {
    expect(readSegmentFields(fields)).toEqual({
      definition: { name: 'Racing fans', themeId: 'horse-racing', minDays: 3, windowDays: 30, minInterest: 1, seenWithinDays: 14 },
    });
  });

  it('reads the filters: countries in capitals, device types in lower case, a trait given twice as either value', () => {
    const read = readSegmentFields({ ...fields, countries: 'fr, be,', deviceTypes: 'Mobile', traits: 'plan=pro\n\nplan = team\ncompany=A=B' });
    expect(read).toMatchObject({ definition: { countries: ['FR', 'BE'], deviceTypes: ['mobile'], traits: { plan: ['pro', 'team'], company: 'A=B' } } });
  });

  it.each([
    { name: 'a number left empty', change: { minDays: '' }, error: 'Min days: a number' },
    { name: 'a number that is not one', change: { minInterest: 'lots' }, error: 'Min interest: a number' },
    { name: 'a trait line without =', change: { traits: 'plan=pro\nvip' }, error: 'Traits, line 2: write key=value' },
    { name: 'a trait without a key', change: { traits: '=pro' }, error: 'Traits, line 1: write key=value' },
  ])('refuses $name', ({ change, error }) => {
    expect(readSegmentFields({ ...fields, ...change })).toEqual({ error });
  });

  it('leaves ranges to the server, which names the field', () => {
    expect(readSegmentFields({ ...fields, minDays: '40', windowDays: '7' })).toMatchObject({ definition: { minDays: 40, windowDays: 7 } });
  });
});

describe('segmentFieldsOf', () => {
  it('gives back the fields a definition was read from', () => {
    const typed = { ...fields, name: 'Racing fans', minInterest: '2.5', countries: 'FR, BE', deviceTypes: 'mobile, tablet', traits: 'plan=pro\nplan=team\nvip=true' };
    const read = readSegmentFields(typed);
    if ('error' in read) throw new Error(read.error);
    expect(segmentFieldsOf(read.definition)).toEqual(typed);
  });
});

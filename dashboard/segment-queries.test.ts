import { describe, expect, it } from 'vitest';
import { membersCsv, type SegmentMember } from './segment-queries.ts';

const member = (overrides: Partial<SegmentMember>): SegmentMember => ({
  visitorId: 'visitor0001',
  visitorIds: ['visitor0001'],
  personId: null,
  hashedEmail: null,
  interest: 2.34567,
  daysActive: 3,
  lastSeen: '2026-11-22T10:00:00.000Z',
  topPages: ['/racing/derby', '/racing/tips'],
  ...overrides,
});

describe('membersCsv', () => {
  it('writes one quoted row per member under the header, with CRLF line ends', () => {
    expect(membersCsv([member({ personId: 'a'.repeat(64), hashedEmail: 'a'.repeat(64) })])).toBe(
      'visitor_id,person_id,hashed_email,interest,days_active,last_seen,top_pages\r\n' +
        `"visitor0001","${'a'.repeat(64)}","${'a'.repeat(64)}","2.346","3","2026-11-22T10:00:00.000Z","/racing/derby /racing/tips"\r\n`,
    );
  });

  it('keeps what a visitor\'s browser sent from running as a spreadsheet formula, and escapes quotes', () => {
    const csv = membersCsv([member({ topPages: ['=HYPERLINK("http://evil.example")'] }), member({ topPages: ['+1', '-2', '@cmd', 'say "hi"'] })]);
    const [, first, second] = csv.split('\r\n');
    expect(first).toMatch(/,"'=HYPERLINK\(""http:\/\/evil\.example""\)"$/);
    expect(second).toMatch(/,"'\+1 -2 @cmd say ""hi"""$/);
  });

  it('is just the header for an empty segment', () => {
    expect(membersCsv([])).toBe('visitor_id,person_id,hashed_email,interest,days_active,last_seen,top_pages\r\n');
  });
});

import { describe, expect, it } from 'vitest';
import { clock, shortTime, time } from './format';

describe('absolute times', () => {
  it('are ISO-style in the browser time zone, 24 h, zero-padded', () => {
    const at = new Date(2026, 0, 5, 7, 3, 9); // local time
    expect(time(at)).toBe('2026-01-05 07:03:09');
    expect(time(at.getTime())).toBe('2026-01-05 07:03:09');
    expect(time(at.toISOString())).toBe('2026-01-05 07:03:09');
    expect(clock(at)).toBe('07:03:09');
    expect(shortTime(at)).toBe('01-05 07:03');
  });

  it('show a dash for a missing or unreadable time', () => {
    expect(time(null)).toBe('—');
    expect(time(undefined)).toBe('—');
    expect(time('')).toBe('—');
    expect(time('not a time')).toBe('—');
    expect(clock('not a time')).toBe('—');
  });

  it('read the same whatever the locale formats would say (no AM/PM, no locale separators)', () => {
    const s = time(new Date(2026, 11, 31, 23, 59, 59));
    expect(s).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(s).toBe('2026-12-31 23:59:59');
  });
});

import { describe, expect, it } from 'vitest';
import { countsText, moreSensors, outageSentence, recentOutages, type MonitorOutage } from './alerts';

const outage = (id: number, ended: string, held = 0, dropped = 0): MonitorOutage => ({
  id, startedAt: '2026-05-01T10:00:00Z', endedAt: ended, seconds: 600, heldSensors: held, droppedSensors: dropped,
});

describe('open alert groups', () => {
  it('counts worst state first and tells how many more sensors there are', () => {
    expect(countsText({ late: 2, dead: 1000, recovered: 0, stale: 3 })).toBe('1,000 dead, 3 stale, 2 late');
    expect(moreSensors({ id: 1, ruleId: 1, ruleName: 'r', openedAt: '', nextFlushAt: '', counts: {}, members: 25, sensors: ['a', 'b'] })).toBe(23);
  });
});

describe('monitor downtime', () => {
  const now = Date.parse('2026-05-02T09:00:00Z');

  it('shows the outages of the last day, newest first', () => {
    const items = [outage(1, '2026-04-30T10:00:00Z'), outage(2, '2026-05-01T10:10:00Z'), outage(3, '2026-05-02T08:00:00Z')];
    expect(recentOutages(items, now).map((o) => o.id)).toEqual([3, 2]);
  });

  it('says when and what became of the alerts', () => {
    const when = (iso: string) => iso.slice(11, 16);
    expect(outageSentence(outage(1, '2026-05-01T10:10:00Z'), when))
      .toBe('FleetHealth could not hear the fleet from 10:00 to 10:10 (10 min). Alerts for sensors that went quiet only then were held.');
    expect(outageSentence(outage(1, '2026-05-01T10:10:00Z', 12, 1), when))
      .toBe('FleetHealth could not hear the fleet from 10:00 to 10:10 (10 min). 12 sensors that went quiet only then were held, not alerted at once; 1 beat again and was never alerted.');
  });
});

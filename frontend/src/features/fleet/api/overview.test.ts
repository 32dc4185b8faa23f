import { describe, expect, it } from 'vitest';
import { chartPoints, emptyChartReason, type StatesOverTime } from './overview';

const answer = (counts: Record<string, number>[]): StatesOverTime => ({
  window: '24h', stepSeconds: 900, until: '2026-01-02T00:00:00Z', states: ['healthy', 'late'],
  buckets: counts.map((c, i) => ({ at: new Date(Date.UTC(2026, 0, 1, 23, 30 + i * 15)).toISOString(), counts: c })),
});

describe('the states chart', () => {
  it('says why it is empty when no sensor was known in the window', () => {
    expect(emptyChartReason(answer([{ healthy: 0 }, { healthy: 0 }]))).toMatch(/No sensor was known during the last 24 hours/);
    expect(emptyChartReason(null)).toMatch(/Loading/);
    expect(emptyChartReason(answer([{ healthy: 0 }, { healthy: 2 }]))).toBeNull();
  });

  it('plots each bucket end at its time', () => {
    const points = chartPoints(answer([{ healthy: 1 }, { healthy: 2, late: 1 }]));
    expect(points.map((p) => p.at)).toEqual([Date.UTC(2026, 0, 1, 23, 30), Date.UTC(2026, 0, 1, 23, 45)]);
    expect(points[1]!.counts).toEqual({ healthy: 2, late: 1 });
  });
});

import { describe, expect, it } from 'vitest';
import { percentile, robustHistogram } from './histogram';

describe('robustHistogram', () => {
  it('clips at the 99th percentile with an overflow bin when outliers would flatten the bars', () => {
    // 10-second beats and one after an hour-long outage.
    const values = [...Array.from({ length: 199 }, (_, i) => 9 + (i % 5) * 0.5), 3600];
    const bins = robustHistogram(values, 20);

    expect(bins).toHaveLength(20);
    const overflow = bins[bins.length - 1]!;
    expect(overflow).toMatchObject({ overflow: true, count: 1, to: 3600 });
    expect(overflow.from).toBe(percentile([...values].sort((a, b) => a - b), 0.99));
    expect(bins.slice(0, -1).every((b) => !b.overflow && b.to <= 11)).toBe(true);
    expect(bins.reduce((n, b) => n + b.count, 0)).toBe(values.length);
    // The usual values spread over several bars instead of one.
    expect(bins.slice(0, -1).filter((b) => b.count > 0).length).toBeGreaterThanOrEqual(5);
  });

  it('keeps the plain equal-width bins when nothing stands out', () => {
    const values = Array.from({ length: 100 }, (_, i) => i);
    const bins = robustHistogram(values, 10);
    expect(bins.some((b) => b.overflow)).toBe(false);
    expect(bins[0]!.from).toBe(0);
    expect(bins[9]!.to).toBe(99);
    expect(bins.reduce((n, b) => n + b.count, 0)).toBe(100);
  });

  it('has no bins for no values and one for identical values', () => {
    expect(robustHistogram([], 20)).toEqual([]);
    expect(robustHistogram([NaN, Infinity], 20)).toEqual([]);
    expect(robustHistogram([5, 5, 5], 20)).toEqual([{ from: 5, to: 5, count: 3 }]);
  });
});

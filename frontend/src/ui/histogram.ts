export interface Bin {
  from: number;
  to: number;
  count: number;
  /** The bin of the values above the clipped range (`from` is where the range ends, `to` the largest value). */
  overflow?: boolean;
}

/** Equal-width bins over [min, max] of the finite values (the last bin includes max). */
export function histogram(values: number[], binCount: number): Bin[] {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0 || binCount < 1) return [];
  let min = Infinity;
  let max = -Infinity;
  for (const v of finite) { if (v < min) min = v; if (v > max) max = v; }
  return equalBins(finite, min, max, binCount);
}

function equalBins(values: number[], min: number, max: number, binCount: number): Bin[] {
  if (min === max) return [{ from: min, to: max, count: values.length }];
  const width = (max - min) / binCount;
  const bins: Bin[] = Array.from({ length: binCount }, (_, i) => ({ from: min + i * width, to: min + (i + 1) * width, count: 0 }));
  for (const v of values) {
    const index = Math.min(binCount - 1, Math.floor((v - min) / width));
    bins[index]!.count += 1;
  }
  return bins;
}

/** The nearest-rank percentile of sorted values (p in 0..1). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

/**
 * A histogram that outliers do not flatten: when the values above the 99th percentile would take
 * more than half of the axis (one heartbeat after an hour's outage among 10-second intervals),
 * the bins cover [min, p99] and one overflow bin, drawn apart, counts the rest. Otherwise the
 * plain equal-width histogram.
 */
export function robustHistogram(values: number[], binCount: number): Bin[] {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0 || binCount < 2) return histogram(sorted, binCount);
  const min = sorted[0]!;
  const max = sorted[sorted.length - 1]!;
  const p99 = percentile(sorted, 0.99);
  if (!(max - min > 2 * (p99 - min)) || p99 === min) return equalBins(sorted, min, max, binCount);
  const inRange = sorted.filter((v) => v <= p99);
  const bins = equalBins(inRange, min, p99, binCount - 1);
  bins.push({ from: p99, to: max, count: sorted.length - inRange.length, overflow: true });
  return bins;
}

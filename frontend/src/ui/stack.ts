/** One layer of a stacked area chart: per moment, its band's bottom and top. */
export interface Layer { key: string; bands: { y0: number; y1: number }[] }

/**
 * Stacks counts per key at each moment, in `keys` order from the bottom; a missing or negative
 * count is 0 (the band has no height). Returns the layers and the highest stack top.
 */
export function stackLayers(points: { counts: Record<string, number> }[], keys: string[]): { layers: Layer[]; max: number } {
  const base = points.map(() => 0);
  const layers = keys.map((key) => ({
    key,
    bands: points.map((p, i) => {
      const value = Math.max(0, Number.isFinite(p.counts[key]) ? p.counts[key]! : 0);
      const y0 = base[i]!;
      base[i] = y0 + value;
      return { y0, y1: y0 + value };
    }),
  }));
  return { layers, max: Math.max(0, ...base) };
}

/** A closed SVG path along the layer's tops, then back along its bottoms. */
export function areaPath(bands: { y0: number; y1: number }[], x: (i: number) => number, y: (v: number) => number): string {
  if (bands.length === 0) return '';
  const top = bands.map((b, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(b.y1).toFixed(1)}`).join(' ');
  const bottom = bands.map((_, j) => { const i = bands.length - 1 - j; return `L${x(i).toFixed(1)},${y(bands[i]!.y0).toFixed(1)}`; }).join(' ');
  return `${top} ${bottom} Z`;
}

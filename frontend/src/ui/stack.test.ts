import { describe, expect, it } from 'vitest';
import { areaPath, stackLayers } from './stack';

describe('stackLayers', () => {
  it('stacks each key on the ones before it, at every moment', () => {
    const { layers, max } = stackLayers(
      [{ counts: { healthy: 5, late: 1 } }, { counts: { healthy: 3, late: 2, dead: 4 } }],
      ['healthy', 'late', 'dead']);
    expect(layers.map((l) => l.key)).toEqual(['healthy', 'late', 'dead']);
    expect(layers[0]!.bands).toEqual([{ y0: 0, y1: 5 }, { y0: 0, y1: 3 }]);
    expect(layers[1]!.bands).toEqual([{ y0: 5, y1: 6 }, { y0: 3, y1: 5 }]);
    expect(layers[2]!.bands).toEqual([{ y0: 6, y1: 6 }, { y0: 5, y1: 9 }]);
    expect(max).toBe(9);
  });

  it('gives a missing, negative or non-finite count no height', () => {
    const { layers, max } = stackLayers([{ counts: { healthy: -2, late: NaN } }], ['healthy', 'late', 'stale']);
    expect(layers.every((l) => l.bands[0]!.y0 === 0 && l.bands[0]!.y1 === 0)).toBe(true);
    expect(max).toBe(0);
  });

  it('draws a closed area along the tops and back along the bottoms', () => {
    const d = areaPath([{ y0: 0, y1: 2 }, { y0: 1, y1: 3 }], (i) => i * 10, (v) => 100 - v);
    expect(d).toBe('M0.0,98.0 L10.0,97.0 L10.0,99.0 L0.0,100.0 Z');
    expect(areaPath([], (i) => i, (v) => v)).toBe('');
  });
});

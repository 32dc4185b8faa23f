/** Equal-width bins over [min, max] of the finite values (the last bin includes max). */
export function histogram(values, binCount) {
    const finite = values.filter((v) => Number.isFinite(v));
    if (finite.length === 0 || binCount < 1)
        return [];
    let min = Infinity;
    let max = -Infinity;
    for (const v of finite) {
        if (v < min)
            min = v;
        if (v > max)
            max = v;
    }
    if (min === max)
        return [{ from: min, to: max, count: finite.length }];
    const width = (max - min) / binCount;
    const bins = Array.from({ length: binCount }, (_, i) => ({ from: min + i * width, to: min + (i + 1) * width, count: 0 }));
    for (const v of finite) {
        const index = Math.min(binCount - 1, Math.floor((v - min) / width));
        bins[index].count += 1;
    }
    return bins;
}

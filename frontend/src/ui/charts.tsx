import type { ReactNode } from 'react';
import { clock } from './format';
import type { Bin } from './histogram';
import { areaPath, stackLayers } from './stack';

const W = 560;
const H = 200;
const PAD = { left: 48, right: 12, top: 12, bottom: 32 };

function Frame({ title, children, xLabel, yLabel, empty = false }: { title: string; children: ReactNode; xLabel: string; yLabel: string; empty?: boolean }) {
  return (
    <figure className="chart" data-empty={empty ? 'true' : undefined}>
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title}>
        <line x1={PAD.left} y1={H - PAD.bottom} x2={W - PAD.right} y2={H - PAD.bottom} className="axis" />
        <line x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={H - PAD.bottom} className="axis" />
        <text x={(W + PAD.left) / 2} y={H - 4} textAnchor="middle" className="label">{xLabel}</text>
        <text x={12} y={H / 2} textAnchor="middle" className="label" transform={`rotate(-90 12 ${H / 2})`}>{yLabel}</text>
        {children}
      </svg>
    </figure>
  );
}

function scale(domain: [number, number], range: [number, number]) {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 || 1;
  return (v: number) => r0 + ((v - d0) / span) * (r1 - r0);
}

/** An empty chart says why it is empty, in the middle of its frame, rather than draw a meaningless axis. */
function EmptyChart({ title, xLabel, yLabel, reason }: { title: string; xLabel: string; yLabel: string; reason: string }) {
  return (
    <Frame title={title} xLabel={xLabel} yLabel={yLabel} empty>
      <text x={(W + PAD.left) / 2} y={H / 2} textAnchor="middle" className="label empty-reason" data-testid="chart-empty">{reason}</text>
    </Frame>
  );
}

const tick = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(1) : v.toFixed(2));

/** A line (or step line, for survival curves) through points. */
export function LineChart({ title, points, xLabel, yLabel, step = false, yDomain, emptyReason = 'No data to draw yet.' }: {
  title: string; points: { x: number; y: number }[]; xLabel: string; yLabel: string; step?: boolean; yDomain?: [number, number]; emptyReason?: string;
}) {
  const xs0 = points.map((p) => p.x);
  // No points, or all at one x: there is no line, only an axis from a value to itself.
  if (points.length === 0 || Math.min(...xs0) === Math.max(...xs0)) return <EmptyChart title={title} xLabel={xLabel} yLabel={yLabel} reason={emptyReason} />;
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const x = scale([Math.min(...xs, 0), Math.max(...xs)], [PAD.left, W - PAD.right]);
  const yd = yDomain ?? [Math.min(0, ...ys), Math.max(...ys)];
  const y = scale(yd, [H - PAD.bottom, PAD.top]);
  let d = '';
  points.forEach((p, i) => {
    if (i === 0) d += `M${x(step ? 0 : p.x)},${y(step ? yd[1] : p.y)}`;
    if (step) d += ` H${x(p.x)} V${y(p.y)}`;
    else d += ` L${x(p.x)},${y(p.y)}`;
  });
  return (
    <Frame title={title} xLabel={xLabel} yLabel={yLabel}>
      <path d={d} className="series" fill="none" />
      <text x={PAD.left - 4} y={PAD.top + 4} textAnchor="end" className="tick">{tick(yd[1])}</text>
      <text x={PAD.left - 4} y={H - PAD.bottom} textAnchor="end" className="tick">{tick(yd[0])}</text>
      <text x={W - PAD.right} y={H - PAD.bottom + 14} textAnchor="end" className="tick">{tick(Math.max(...xs))}</text>
    </Frame>
  );
}

/** Bars of a histogram; an overflow bin (values past the clipped range) is drawn apart, hatched, and labelled. */
export function BarChart({ title, bins, xLabel, yLabel, emptyReason = 'No values to count yet.' }: {
  title: string; bins: Bin[]; xLabel: string; yLabel: string; emptyReason?: string;
}) {
  if (bins.length === 0) return <EmptyChart title={title} xLabel={xLabel} yLabel={yLabel} reason={emptyReason} />;
  const max = Math.max(1, ...bins.map((b) => b.count));
  const width = (W - PAD.left - PAD.right) / Math.max(1, bins.length);
  const y = scale([0, max], [H - PAD.bottom, PAD.top]);
  return (
    <Frame title={title} xLabel={xLabel} yLabel={yLabel}>
      {bins.map((b, i) => (
        <rect key={i} x={PAD.left + i * width + (b.overflow ? 4 : 1)} y={y(b.count)} width={Math.max(1, width - (b.overflow ? 5 : 2))} height={H - PAD.bottom - y(b.count)}
          className={b.overflow ? 'bar overflow' : 'bar'} data-overflow={b.overflow ? 'true' : undefined}>
          <title>{b.overflow ? `over ${tick(b.from)} (up to ${tick(b.to)}): ${b.count}` : `${tick(b.from)}–${tick(b.to)}: ${b.count}`}</title>
        </rect>
      ))}
      <text x={PAD.left - 4} y={PAD.top + 4} textAnchor="end" className="tick">{max}</text>
      <text x={PAD.left} y={H - PAD.bottom + 14} className="tick">{tick(bins[0]!.from)}</text>
      {bins[bins.length - 1]!.overflow
        ? <text x={W - PAD.right} y={H - PAD.bottom + 14} textAnchor="end" className="tick">{`${tick(bins[bins.length - 1]!.from)} | > ${tick(bins[bins.length - 1]!.from)}`}</text>
        : <text x={W - PAD.right} y={H - PAD.bottom + 14} textAnchor="end" className="tick">{tick(bins[bins.length - 1]!.to)}</text>}
    </Frame>
  );
}

/** One tick per heartbeat over [from, to], with coloured bands for non-healthy periods. */
export function Timeline({ title, times, from, to, bands = [] }: {
  title: string; times: number[]; from: number; to: number; bands?: { from: number; to: number; colour: string; label: string }[];
}) {
  // Wider than the other charts: a timeline is read across the page, so its text stays small when it fills the width.
  const tw = 1200;
  const x = scale([from, to], [PAD.left, tw - PAD.right]);
  const h = 80;
  return (
    <figure className="chart">
      <figcaption>{title} ({times.length} heartbeats)</figcaption>
      <svg viewBox={`0 0 ${tw} ${h}`} role="img" aria-label={title}>
        {bands.map((b, i) => (
          <rect key={i} x={x(Math.max(from, b.from))} y={8} width={Math.max(1, x(Math.min(to, b.to)) - x(Math.max(from, b.from)))} height={44} fill={b.colour} opacity={0.25}>
            <title>{b.label}</title>
          </rect>
        ))}
        {times.map((t, i) => <line key={i} x1={x(t)} x2={x(t)} y1={12} y2={48} className="beat" />)}
        <line x1={PAD.left} x2={tw - PAD.right} y1={52} y2={52} className="axis" />
        <text x={PAD.left} y={68} className="tick">{clock(from)}</text>
        <text x={tw - PAD.right} y={68} textAnchor="end" className="tick">{clock(to)}</text>
      </svg>
    </figure>
  );
}

/**
 * Counts per key over time, stacked (keys in order from the bottom), one coloured band per key
 * with its name in the legend (never colour alone). `times` label the x axis.
 */
export function StackedAreaChart({ title, points, keys, colour, timeLabel, emptyReason, yLabel }: {
  title: string; points: { at: number; counts: Record<string, number> }[]; keys: string[]; colour: (key: string) => string;
  timeLabel: (at: number) => string; emptyReason: string; yLabel: string;
}) {
  const { layers, max } = stackLayers(points, keys);
  if (points.length < 2 || max === 0) return <EmptyChart title={title} xLabel="time" yLabel={yLabel} reason={emptyReason} />;
  const x = scale([0, points.length - 1], [PAD.left, W - PAD.right]);
  const y = scale([0, max], [H - PAD.bottom, PAD.top]);
  const shown = layers.filter((l) => l.bands.some((b) => b.y1 > b.y0));
  const last = points.length - 1;
  return (
    <figure className="chart wide" data-testid="states-chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title}>
        {shown.map((l) => (
          <path key={l.key} d={areaPath(l.bands, x, y)} fill={colour(l.key)} fillOpacity={0.75} stroke={colour(l.key)} strokeWidth={0.5} data-state={l.key}>
            <title>{`${l.key}: ${l.bands[last]!.y1 - l.bands[last]!.y0} now`}</title>
          </path>
        ))}
        <line x1={PAD.left} y1={H - PAD.bottom} x2={W - PAD.right} y2={H - PAD.bottom} className="axis" />
        <line x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={H - PAD.bottom} className="axis" />
        <text x={12} y={H / 2} textAnchor="middle" className="label" transform={`rotate(-90 12 ${H / 2})`}>{yLabel}</text>
        <text x={PAD.left - 4} y={PAD.top + 4} textAnchor="end" className="tick">{max}</text>
        <text x={PAD.left - 4} y={H - PAD.bottom} textAnchor="end" className="tick">0</text>
        <text x={PAD.left} y={H - PAD.bottom + 14} className="tick">{timeLabel(points[0]!.at)}</text>
        <text x={(PAD.left + W - PAD.right) / 2} y={H - PAD.bottom + 14} textAnchor="middle" className="tick">{timeLabel(points[Math.floor(last / 2)]!.at)}</text>
        <text x={W - PAD.right} y={H - PAD.bottom + 14} textAnchor="end" className="tick">{timeLabel(points[last]!.at)}</text>
      </svg>
      <ul className="legend">
        {shown.map((l) => (
          <li key={l.key} data-legend={l.key}><span className="swatch" style={{ background: colour(l.key) }} aria-hidden="true" />{l.key} {l.bands[last]!.y1 - l.bands[last]!.y0}</li>
        ))}
      </ul>
    </figure>
  );
}

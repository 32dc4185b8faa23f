import type { ReactNode } from 'react';
import type { Bin } from './histogram';

const W = 560;
const H = 200;
const PAD = { left: 48, right: 12, top: 12, bottom: 32 };

function Frame({ title, children, xLabel, yLabel }: { title: string; children: ReactNode; xLabel: string; yLabel: string }) {
  return (
    <figure className="chart">
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

const tick = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(1) : v.toFixed(2));

/** A line (or step line, for survival curves) through points. */
export function LineChart({ title, points, xLabel, yLabel, step = false, yDomain }: {
  title: string; points: { x: number; y: number }[]; xLabel: string; yLabel: string; step?: boolean; yDomain?: [number, number];
}) {
  if (points.length === 0) return <Frame title={title} xLabel={xLabel} yLabel={yLabel}><text x={W / 2} y={H / 2} textAnchor="middle" className="label">no data</text></Frame>;
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

/** Bars of a histogram. */
export function BarChart({ title, bins, xLabel, yLabel }: { title: string; bins: Bin[]; xLabel: string; yLabel: string }) {
  const max = Math.max(1, ...bins.map((b) => b.count));
  const width = (W - PAD.left - PAD.right) / Math.max(1, bins.length);
  const y = scale([0, max], [H - PAD.bottom, PAD.top]);
  return (
    <Frame title={title} xLabel={xLabel} yLabel={yLabel}>
      {bins.map((b, i) => (
        <rect key={i} x={PAD.left + i * width + 1} y={y(b.count)} width={Math.max(1, width - 2)} height={H - PAD.bottom - y(b.count)} className="bar">
          <title>{`${tick(b.from)}–${tick(b.to)}: ${b.count}`}</title>
        </rect>
      ))}
      {bins.length === 0 && <text x={W / 2} y={H / 2} textAnchor="middle" className="label">no data</text>}
      <text x={PAD.left - 4} y={PAD.top + 4} textAnchor="end" className="tick">{max}</text>
      {bins.length > 0 && <text x={PAD.left} y={H - PAD.bottom + 14} className="tick">{tick(bins[0]!.from)}</text>}
      {bins.length > 0 && <text x={W - PAD.right} y={H - PAD.bottom + 14} textAnchor="end" className="tick">{tick(bins[bins.length - 1]!.to)}</text>}
    </Frame>
  );
}

/** One tick per heartbeat over [from, to], with coloured bands for non-healthy periods. */
export function Timeline({ title, times, from, to, bands = [] }: {
  title: string; times: number[]; from: number; to: number; bands?: { from: number; to: number; colour: string; label: string }[];
}) {
  const x = scale([from, to], [PAD.left, W - PAD.right]);
  const h = 80;
  return (
    <figure className="chart">
      <figcaption>{title} ({times.length} heartbeats)</figcaption>
      <svg viewBox={`0 0 ${W} ${h}`} role="img" aria-label={title}>
        {bands.map((b, i) => (
          <rect key={i} x={x(Math.max(from, b.from))} y={8} width={Math.max(1, x(Math.min(to, b.to)) - x(Math.max(from, b.from)))} height={44} fill={b.colour} opacity={0.25}>
            <title>{b.label}</title>
          </rect>
        ))}
        {times.map((t, i) => <line key={i} x1={x(t)} x2={x(t)} y1={12} y2={48} className="beat" />)}
        <line x1={PAD.left} x2={W - PAD.right} y1={52} y2={52} className="axis" />
        <text x={PAD.left} y={68} className="tick">{new Date(from).toLocaleTimeString('en-GB', { hour12: false })}</text>
        <text x={W - PAD.right} y={68} textAnchor="end" className="tick">{new Date(to).toLocaleTimeString('en-GB', { hour12: false })}</text>
      </svg>
    </figure>
  );
}

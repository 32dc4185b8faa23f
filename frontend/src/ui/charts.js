import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
const W = 560;
const H = 200;
const PAD = { left: 48, right: 12, top: 12, bottom: 32 };
function Frame({ title, children, xLabel, yLabel }) {
    return (_jsxs("figure", { className: "chart", children: [_jsx("figcaption", { children: title }), _jsxs("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": title, children: [_jsx("line", { x1: PAD.left, y1: H - PAD.bottom, x2: W - PAD.right, y2: H - PAD.bottom, className: "axis" }), _jsx("line", { x1: PAD.left, y1: PAD.top, x2: PAD.left, y2: H - PAD.bottom, className: "axis" }), _jsx("text", { x: (W + PAD.left) / 2, y: H - 4, textAnchor: "middle", className: "label", children: xLabel }), _jsx("text", { x: 12, y: H / 2, textAnchor: "middle", className: "label", transform: `rotate(-90 12 ${H / 2})`, children: yLabel }), children] })] }));
}
function scale(domain, range) {
    const [d0, d1] = domain;
    const [r0, r1] = range;
    const span = d1 - d0 || 1;
    return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}
const tick = (v) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(1) : v.toFixed(2));
/** A line (or step line, for survival curves) through points. */
export function LineChart({ title, points, xLabel, yLabel, step = false, yDomain }) {
    if (points.length === 0)
        return _jsx(Frame, { title: title, xLabel: xLabel, yLabel: yLabel, children: _jsx("text", { x: W / 2, y: H / 2, textAnchor: "middle", className: "label", children: "no data" }) });
    const xs = points.map((p) => p.x);
    const ys = points.map((p) => p.y);
    const x = scale([Math.min(...xs, 0), Math.max(...xs)], [PAD.left, W - PAD.right]);
    const yd = yDomain ?? [Math.min(0, ...ys), Math.max(...ys)];
    const y = scale(yd, [H - PAD.bottom, PAD.top]);
    let d = '';
    points.forEach((p, i) => {
        if (i === 0)
            d += `M${x(step ? 0 : p.x)},${y(step ? yd[1] : p.y)}`;
        if (step)
            d += ` H${x(p.x)} V${y(p.y)}`;
        else
            d += ` L${x(p.x)},${y(p.y)}`;
    });
    return (_jsxs(Frame, { title: title, xLabel: xLabel, yLabel: yLabel, children: [_jsx("path", { d: d, className: "series", fill: "none" }), _jsx("text", { x: PAD.left - 4, y: PAD.top + 4, textAnchor: "end", className: "tick", children: tick(yd[1]) }), _jsx("text", { x: PAD.left - 4, y: H - PAD.bottom, textAnchor: "end", className: "tick", children: tick(yd[0]) }), _jsx("text", { x: W - PAD.right, y: H - PAD.bottom + 14, textAnchor: "end", className: "tick", children: tick(Math.max(...xs)) })] }));
}
/** Bars of a histogram. */
export function BarChart({ title, bins, xLabel, yLabel }) {
    const max = Math.max(1, ...bins.map((b) => b.count));
    const width = (W - PAD.left - PAD.right) / Math.max(1, bins.length);
    const y = scale([0, max], [H - PAD.bottom, PAD.top]);
    return (_jsxs(Frame, { title: title, xLabel: xLabel, yLabel: yLabel, children: [bins.map((b, i) => (_jsx("rect", { x: PAD.left + i * width + 1, y: y(b.count), width: Math.max(1, width - 2), height: H - PAD.bottom - y(b.count), className: "bar", children: _jsx("title", { children: `${tick(b.from)}–${tick(b.to)}: ${b.count}` }) }, i))), bins.length === 0 && _jsx("text", { x: W / 2, y: H / 2, textAnchor: "middle", className: "label", children: "no data" }), _jsx("text", { x: PAD.left - 4, y: PAD.top + 4, textAnchor: "end", className: "tick", children: max }), bins.length > 0 && _jsx("text", { x: PAD.left, y: H - PAD.bottom + 14, className: "tick", children: tick(bins[0].from) }), bins.length > 0 && _jsx("text", { x: W - PAD.right, y: H - PAD.bottom + 14, textAnchor: "end", className: "tick", children: tick(bins[bins.length - 1].to) })] }));
}
/** One tick per heartbeat over [from, to], with coloured bands for non-healthy periods. */
export function Timeline({ title, times, from, to, bands = [] }) {
    const x = scale([from, to], [PAD.left, W - PAD.right]);
    const h = 80;
    return (_jsxs("figure", { className: "chart", children: [_jsxs("figcaption", { children: [title, " (", times.length, " heartbeats)"] }), _jsxs("svg", { viewBox: `0 0 ${W} ${h}`, role: "img", "aria-label": title, children: [bands.map((b, i) => (_jsx("rect", { x: x(Math.max(from, b.from)), y: 8, width: Math.max(1, x(Math.min(to, b.to)) - x(Math.max(from, b.from))), height: 44, fill: b.colour, opacity: 0.25, children: _jsx("title", { children: b.label }) }, i))), times.map((t, i) => _jsx("line", { x1: x(t), x2: x(t), y1: 12, y2: 48, className: "beat" }, i)), _jsx("line", { x1: PAD.left, x2: W - PAD.right, y1: 52, y2: 52, className: "axis" }), _jsx("text", { x: PAD.left, y: 68, className: "tick", children: new Date(from).toLocaleTimeString('en-GB', { hour12: false }) }), _jsx("text", { x: W - PAD.right, y: 68, textAnchor: "end", className: "tick", children: new Date(to).toLocaleTimeString('en-GB', { hour12: false }) })] })] }));
}

import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
import { useEffect, useState } from 'react';
import { BarChart, LineChart } from '@/ui/charts';
import { duration, number, percent } from '@/ui/format';
import { histogram } from '@/ui/histogram';
import { fetchQuery, fleetRow, num, perSensor, survivalCurve } from '../api/analytics';
const QUERIES = ['lifespan', 'intervals', 'availability', 'silent_share', 'flapping', 'lost_beats', 'downtime_episodes'];
/** The named analytics queries (db/queries), charted. Default windows: the last day. */
export function AnalyticsPage({ apiBase, onOpen }) {
    const [results, setResults] = useState({});
    const [errors, setErrors] = useState([]);
    useEffect(() => {
        const controller = new AbortController();
        for (const name of QUERIES) {
            fetchQuery(apiBase, name, controller.signal)
                .then((rows) => setResults((r) => ({ ...r, [name]: rows })))
                .catch((e) => { if (!controller.signal.aborted)
                setErrors((list) => [...list, String(e)]); });
        }
        return () => controller.abort();
    }, [apiBase]);
    const lifespan = results.lifespan ?? [];
    const intervals = results.intervals ?? [];
    const fleetIntervals = fleetRow(intervals);
    const availability = perSensor(results.availability ?? [], 'availability_pct');
    const lost = fleetRow(results.lost_beats ?? []);
    const silent = (results.silent_share ?? []).find((r) => r.tag === null);
    const episodes = results.downtime_episodes ?? [];
    return (_jsxs("article", { className: "analytics", "aria-label": "Analytics", children: [_jsx("h2", { children: "Analytics" }), errors.map((e) => _jsx("p", { className: "error", children: e }, e)), _jsxs("div", { className: "tiles", children: [_jsxs("div", { className: "tile wide", children: [_jsx("div", { className: "value", children: percent(num(silent?.silent_share)) }), _jsx("div", { className: "name", children: "silent > 10 min" })] }), _jsxs("div", { className: "tile wide", children: [_jsx("div", { className: "value", children: num(lifespan[0]?.median_days) == null ? 'not reached' : `${number(num(lifespan[0]?.median_days), 1)} d` }), _jsx("div", { className: "name", children: "median lifespan" })] }), _jsxs("div", { className: "tile wide", "data-testid": "restricted-mean", children: [_jsx("div", { className: "value", children: num(lifespan[0]?.restricted_mean_days) == null ? '—' : `${number(num(lifespan[0]?.restricted_mean_days), 1)} d (${number(num(lifespan[0]?.restricted_mean_low_days), 1)}–${number(num(lifespan[0]?.restricted_mean_high_days), 1)})` }), _jsxs("div", { className: "name", children: ["average lifespan to ", number(num(lifespan[0]?.horizon_days), 0), " d (restricted mean, 95% interval)"] })] }), _jsxs("div", { className: "tile wide", children: [_jsx("div", { className: "value", children: fleetIntervals ? `${duration(num(fleetIntervals.mean_seconds) ?? NaN)} / ${duration(num(fleetIntervals.median_seconds) ?? NaN)} / ${duration(num(fleetIntervals.p95_seconds) ?? NaN)}` : '—' }), _jsx("div", { className: "name", children: "interval mean / median / p95 (24 h)" })] }), _jsxs("div", { className: "tile wide", children: [_jsx("div", { className: "value", children: percent(num(lost?.lost_rate), 2) }), _jsx("div", { className: "name", children: "lost beats (24 h)" })] }), _jsxs("div", { className: "tile wide", children: [_jsx("div", { className: "value", children: number(episodes.length) }), _jsx("div", { className: "name", children: "downtime episodes (24 h)" })] })] }), _jsxs("div", { className: "chart-grid", children: [_jsx(LineChart, { title: "Survival (Kaplan\u2013Meier): share of sensors still alive", points: survivalCurve(lifespan), step: true, xLabel: "days since first heartbeat", yLabel: "surviving", yDomain: [0, 1] }), _jsx(BarChart, { title: "Mean heartbeat interval per sensor (24 h)", bins: histogram(perSensor(intervals, 'mean_seconds'), 20), xLabel: "seconds", yLabel: "sensors" }), _jsx(BarChart, { title: "Availability per sensor (24 h)", bins: histogram(availability, 20), xLabel: "% of observed time healthy", yLabel: "sensors" })] }), _jsxs("section", { "aria-label": "Flapping", children: [_jsx("h3", { children: "Most transitions (24 h)" }), _jsxs("table", { className: "history", children: [_jsx("thead", { children: _jsxs("tr", { children: [_jsx("th", { children: "Sensor" }), _jsx("th", { children: "Transitions" }), _jsx("th", { children: "Recoveries" })] }) }), _jsx("tbody", { children: (results.flapping ?? []).map((r) => (_jsxs("tr", { children: [_jsx("td", { children: _jsx("a", { href: `/sensors/${encodeURIComponent(String(r.sensor_id))}`, onClick: (e) => { e.preventDefault(); onOpen(String(r.sensor_id)); }, children: String(r.sensor_id) }) }), _jsx("td", { children: number(num(r.transitions)) }), _jsx("td", { children: number(num(r.recoveries)) })] }, String(r.sensor_id)))) })] })] })] }));
}

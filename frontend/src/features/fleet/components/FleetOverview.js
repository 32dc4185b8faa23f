import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
import { useEffect, useState } from 'react';
import { duration, number, percent } from '@/ui/format';
import { STATE_ORDER, stateColour } from '@/ui/states';
import { fetchFleetSummary } from '../api/summary';
/** Counts per state (live), and the analytics numbers (refreshed every 30 s). */
export function FleetOverview({ apiBase, counts, total, onPickState }) {
    const [summary, setSummary] = useState(null);
    const [error, setError] = useState(null);
    useEffect(() => {
        const controller = new AbortController();
        const load = () => fetchFleetSummary(apiBase, controller.signal)
            .then((s) => { setSummary(s); setError(null); })
            .catch((e) => { if (!controller.signal.aborted)
            setError(String(e)); });
        void load();
        const timer = window.setInterval(load, 30_000);
        return () => { controller.abort(); window.clearInterval(timer); };
    }, [apiBase]);
    return (_jsxs("section", { "aria-label": "Fleet overview", className: "overview", children: [_jsxs("div", { className: "tiles", children: [_jsxs("div", { className: "tile", "data-testid": "count-total", children: [_jsx("div", { className: "value", children: number(total) }), _jsx("div", { className: "name", children: "sensors" })] }), STATE_ORDER.map((state) => (_jsxs("button", { type: "button", className: "tile state-tile", "data-testid": `count-${state}`, style: { borderTopColor: stateColour(state) }, onClick: () => onPickState(state), title: `Show ${state} sensors`, children: [_jsx("div", { className: "value", children: number(counts[state] ?? 0) }), _jsx("div", { className: "name", style: { color: stateColour(state) }, children: state })] }, state)))] }), _jsxs("div", { className: "tiles", children: [_jsxs("div", { className: "tile wide", "data-testid": "silent-share", children: [_jsx("div", { className: "value", children: percent(summary?.silentShare) }), _jsxs("div", { className: "name", children: ["silent > 10 min (", number(summary?.silent), ")"] })] }), _jsxs("div", { className: "tile wide", "data-testid": "mean-interval", children: [_jsx("div", { className: "value", children: summary?.meanIntervalSeconds == null ? '—' : duration(summary.meanIntervalSeconds) }), _jsx("div", { className: "name", children: "mean heartbeat interval (24 h)" })] }), _jsxs("div", { className: "tile wide", "data-testid": "median-lifespan", children: [_jsx("div", { className: "value", children: summary?.medianLifespanDays == null ? 'not reached' : `${number(summary.medianLifespanDays, 1)} d` }), _jsx("div", { className: "name", children: "median lifespan (Kaplan\u2013Meier)" })] })] }), error && _jsxs("p", { className: "error", children: ["Analytics unavailable: ", error] })] }));
}

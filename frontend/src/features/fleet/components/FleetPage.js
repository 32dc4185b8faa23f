import { jsx as _jsx, jsxs as _jsxs, Fragment as _Fragment } from "react/jsx-runtime";
import { useEffect, useState } from 'react';
import { normalizeFilter, STATES } from '@/live/protocol';
import { number } from '@/ui/format';
import { FleetOverview } from './FleetOverview';
import { SensorTable } from './SensorTable';
import { TransitionFeed } from './TransitionFeed';
/** The fleet page: overview, live transitions, and the sensor table with its filters. */
export function FleetPage({ apiBase, fleet, filter, onFilter, onOpen }) {
    const [text, setText] = useState(filter.text ?? '');
    const [tag, setTag] = useState(filter.tag ?? '');
    // Typing filters the rows held at once; the server subscription follows after a pause.
    useEffect(() => {
        const timer = window.setTimeout(() => onFilter(normalizeFilter({ ...filter, text, tag })), 300);
        return () => window.clearTimeout(timer);
    }, [text, tag]);
    const local = normalizeFilter({ ...filter, text, tag });
    return (_jsxs(_Fragment, { children: [_jsx(FleetOverview, { apiBase: apiBase, counts: fleet.counts, total: fleet.total, onPickState: (state) => onFilter({ ...local, state }) }), _jsxs("div", { className: "columns", children: [_jsxs("section", { "aria-label": "Sensor table", className: "sensors", children: [_jsx("h2", { children: "Sensors" }), _jsxs("form", { className: "filters", onSubmit: (e) => e.preventDefault(), children: [_jsxs("label", { children: ["State", ' ', _jsxs("select", { value: filter.state ?? '', onChange: (e) => onFilter(normalizeFilter({ ...local, state: e.target.value })), "data-testid": "filter-state", children: [_jsx("option", { value: "", children: "any" }), STATES.map((s) => _jsx("option", { value: s, children: s }, s))] })] }), _jsxs("label", { children: ["Tag ", _jsx("input", { value: tag, onChange: (e) => setTag(e.target.value), placeholder: "site:north", "data-testid": "filter-tag" })] }), _jsxs("label", { children: ["Id contains ", _jsx("input", { value: text, onChange: (e) => setText(e.target.value), placeholder: "pump-", "data-testid": "filter-text" })] })] }), fleet.truncated && (_jsxs("p", { className: "warning", children: ["Showing the first ", number(fleet.limit), " of ", number(fleet.matched), " matching sensors (in id order); narrow the filter to see the rest."] })), _jsx(SensorTable, { fleet: fleet, filter: local, onOpen: onOpen })] }), _jsx(TransitionFeed, { transitions: fleet.transitions, dropped: fleet.transitionsDropped, onOpen: onOpen })] })] }));
}

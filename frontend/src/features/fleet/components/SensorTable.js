import { jsxs as _jsxs, jsx as _jsx } from "react/jsx-runtime";
import { useEffect, useMemo, useRef, useState } from 'react';
import { changesSince, tableRows, updateRows, visibleWindow } from '@/live/tableView';
import { StateBadge } from '@/ui/StateBadge';
import { ago, number } from '@/ui/format';
const ROW_HEIGHT = 32;
const VIEWPORT = 480;
const COLUMNS = [
    { key: 'id', label: 'Sensor' },
    { key: 'status', label: 'State' },
    { key: 'since', label: 'Since' },
    { key: 'lastSeen', label: 'Last seen' },
    { key: 'count', label: 'Heartbeats' },
    { key: 'meanInterval', label: 'Mean interval' },
];
/**
 * The sensor table: a fixed row height and a scroll container, rendering only the rows in view
 * (about 30 of them at any size of fleet). Sorting and filtering run over the rows held.
 */
export function SensorTable({ fleet, filter, onOpen }) {
    const [sort, setSort] = useState({ key: 'status', descending: false });
    const [scrollTop, setScrollTop] = useState(0);
    const [now, setNow] = useState(() => Date.now());
    const scroller = useRef(null);
    const cache = useRef(null);
    const key = `${filter.state ?? ''}\u0001${filter.tag ?? ''}\u0001${filter.text ?? ''}\u0001${sort.key}\u0001${sort.descending}`;
    const { sensors, version } = fleet;
    // The sensor map is mutated in place; `version` says when. Small changes update the sorted rows
    // incrementally (no full sort of 100,000 rows four times a second); anything else recomputes.
    const rows = useMemo(() => {
        const previous = cache.current;
        const changed = previous && previous.key === key && previous.sensors === sensors ? changesSince(fleet, previous.version) : null;
        const next = changed && changed.size < 5000 ? updateRows(previous.rows, changed, sensors, filter, sort) : tableRows(sensors.values(), filter, sort);
        cache.current = { rows: next, version, key, sensors };
        return next;
    }, [sensors, version, key]);
    const view = visibleWindow(scrollTop, VIEWPORT, ROW_HEIGHT, rows.length);
    useEffect(() => { const t = window.setInterval(() => setNow(Date.now()), 5000); return () => window.clearInterval(t); }, []);
    const filterKey = `${filter.state ?? ''}\u0001${filter.tag ?? ''}\u0001${filter.text ?? ''}`;
    useEffect(() => { scroller.current?.scrollTo({ top: 0 }); setScrollTop(0); }, [filterKey]);
    const toggle = (key) => setSort((s) => (s.key === key ? { key, descending: !s.descending } : { key, descending: false }));
    return (_jsxs("div", { className: "table", role: "table", "aria-label": "Sensors", "aria-rowcount": rows.length, children: [_jsx("div", { className: "row head", role: "row", children: COLUMNS.map((c) => (_jsxs("button", { type: "button", role: "columnheader", className: `cell c-${c.key}`, onClick: () => toggle(c.key), "aria-sort": sort.key === c.key ? (sort.descending ? 'descending' : 'ascending') : 'none', children: [c.label, sort.key === c.key ? (sort.descending ? ' ▼' : ' ▲') : ''] }, c.key))) }), _jsx("div", { ref: scroller, className: "scroller", style: { height: VIEWPORT }, "data-testid": "table-scroller", onScroll: (e) => setScrollTop(e.currentTarget.scrollTop), children: _jsx("div", { style: { height: view.totalHeight, position: 'relative' }, children: _jsx("div", { style: { transform: `translateY(${view.offsetTop}px)` }, children: rows.slice(view.start, view.end).map((s, i) => (_jsxs("div", { role: "row", className: "row", "data-sensor": s.id, "aria-rowindex": view.start + i + 2, style: { height: ROW_HEIGHT }, tabIndex: 0, onClick: () => onOpen(s.id), onKeyDown: (e) => { if (e.key === 'Enter')
                                onOpen(s.id); }, children: [_jsxs("span", { role: "cell", className: "cell c-id", children: [s.id, s.tags.length > 0 && _jsxs("span", { className: "tags", children: [" ", s.tags.join(' ')] })] }), _jsx("span", { role: "cell", className: "cell c-status", children: _jsx(StateBadge, { state: s.status }) }), _jsx("span", { role: "cell", className: "cell c-since", children: ago(s.since, now) }), _jsx("span", { role: "cell", className: "cell c-lastSeen", children: ago(s.lastSeen, now) }), _jsx("span", { role: "cell", className: "cell c-count", children: number(s.count) }), _jsx("span", { role: "cell", className: "cell c-meanInterval", children: s.meanInterval > 0 ? `${number(s.meanInterval, 1)} s` : '—' })] }, s.id))) }) }) }), _jsxs("p", { className: "muted", "data-testid": "row-count", children: [number(rows.length), " sensors shown"] })] }));
}

import { jsxs as _jsxs, jsx as _jsx } from "react/jsx-runtime";
import { useEffect, useState } from 'react';
import { fetchSerialPorts, totalDropped } from '../api/serialPorts';
/** The serial ports this node reads, with their counters; refreshed every few seconds. Hidden when none are configured. */
export function SerialPorts({ apiBase }) {
    const [ports, setPorts] = useState(null);
    const [error, setError] = useState(null);
    useEffect(() => {
        const controller = new AbortController();
        const poll = () => fetchSerialPorts(apiBase, controller.signal)
            .then((p) => { setPorts(p); setError(null); })
            .catch((e) => { if (!controller.signal.aborted)
            setError(String(e)); });
        void poll();
        const timer = setInterval(poll, 5000);
        return () => { controller.abort(); clearInterval(timer); };
    }, [apiBase]);
    if (error)
        return _jsxs("p", { role: "status", children: ["Serial ports: ", error] });
    if (!ports || ports.length === 0)
        return null;
    return (_jsxs("section", { "aria-label": "Serial ports", "data-testid": "serial-ports", children: [_jsx("h2", { children: "Serial ports" }), _jsxs("table", { children: [_jsx("thead", { children: _jsxs("tr", { children: [_jsx("th", { children: "Device" }), _jsx("th", { children: "Baud" }), _jsx("th", { children: "Link" }), _jsx("th", { children: "Lines ok" }), _jsx("th", { children: "Dropped" }), _jsx("th", { children: "Reconnects" }), _jsx("th", { children: "Last error" })] }) }), _jsx("tbody", { children: ports.map((p) => (_jsxs("tr", { children: [_jsx("td", { children: _jsx("code", { children: p.device }) }), _jsx("td", { children: p.baud }), _jsx("td", { children: p.connected ? 'connected' : 'disconnected' }), _jsx("td", { "data-testid": "serial-lines-ok", children: p.linesOk }), _jsx("td", { "data-testid": "serial-dropped", title: Object.entries(p.dropped).map(([k, v]) => `${k}: ${v}`).join(', '), children: totalDropped(p) }), _jsx("td", { children: p.reconnects }), _jsx("td", { children: p.lastError ?? '—' })] }, p.device))) })] })] }));
}

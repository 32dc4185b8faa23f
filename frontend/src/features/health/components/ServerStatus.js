import { jsxs as _jsxs, jsx as _jsx } from "react/jsx-runtime";
import { useEffect, useState } from 'react';
import { fetchReadiness } from '../api/readiness';
/** Shows whether the server and its database are ready; polls every few seconds. */
export function ServerStatus({ apiBase }) {
    const [readiness, setReadiness] = useState(null);
    const [error, setError] = useState(null);
    useEffect(() => {
        const controller = new AbortController();
        const poll = () => fetchReadiness(apiBase, controller.signal)
            .then((r) => { setReadiness(r); setError(null); })
            .catch((e) => { if (!controller.signal.aborted)
            setError(String(e)); });
        void poll();
        const timer = setInterval(poll, 5000);
        return () => { controller.abort(); clearInterval(timer); };
    }, [apiBase]);
    if (error)
        return _jsxs("p", { role: "status", children: ["Server unreachable: ", error] });
    if (!readiness)
        return _jsx("p", { role: "status", children: "Connecting\u2026" });
    return _jsxs("p", { role: "status", "data-status": readiness.status, children: ["Server: ", readiness.status, " (schema v", readiness.schemaVersion ?? '?', ")"] });
}

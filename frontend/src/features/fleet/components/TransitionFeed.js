import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
import { StateBadge } from '@/ui/StateBadge';
/** The newest liveness transitions, as they happen. */
export function TransitionFeed({ transitions, dropped, onOpen }) {
    return (_jsxs("section", { "aria-label": "Live transitions", className: "feed", children: [_jsx("h2", { children: "Live transitions" }), transitions.length === 0 ? _jsx("p", { className: "muted", children: "No transitions since this page opened." }) : (_jsx("ol", { "data-testid": "transition-feed", children: transitions.slice(0, 50).map((t) => (_jsxs("li", { children: [_jsx("time", { dateTime: t.at, children: new Date(t.at).toLocaleTimeString('en-GB', { hour12: false }) }), ' ', _jsx("a", { href: `/sensors/${encodeURIComponent(t.sensorId)}`, onClick: (e) => { e.preventDefault(); onOpen(t.sensorId); }, children: t.sensorId }), ' ', _jsx(StateBadge, { state: t.from }), " \u2192 ", _jsx(StateBadge, { state: t.to }), t.reason ? _jsxs("span", { className: "muted", children: [" ", t.reason] }) : null] }, t.id))) })), dropped > 0 && _jsxs("p", { className: "muted", children: [dropped, " more transitions arrived too fast to list."] })] }));
}

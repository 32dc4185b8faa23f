import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
/** Live / reconnecting / connecting, in words and colour; the feed's own interruptions too. */
export function ConnectionIndicator({ status, feed, synced }) {
    let label;
    let kind;
    if (status.kind === 'live' && feed === 'live' && synced) {
        label = 'Live';
        kind = 'live';
    }
    else if (status.kind === 'live' && feed === 'interrupted') {
        label = 'Live, change feed interrupted (data may be stale)';
        kind = 'degraded';
    }
    else if (status.kind === 'reconnecting') {
        label = `Reconnecting in ${Math.ceil(status.retryInMs / 1000)} s (attempt ${status.attempt}: ${status.reason})`;
        kind = 'reconnecting';
    }
    else if (status.kind === 'closed') {
        label = 'Disconnected';
        kind = 'reconnecting';
    }
    else {
        label = 'Connecting…';
        kind = 'connecting';
    }
    return (_jsxs("div", { className: "connection", "data-connection": kind, role: "status", "aria-live": "polite", children: [_jsx("span", { className: "dot", "aria-hidden": "true" }), label] }));
}

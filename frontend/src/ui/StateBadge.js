import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
import { stateColour } from './states';
/** A state as colour AND text (readable without colour vision, and by screen readers). */
export function StateBadge({ state }) {
    return (_jsxs("span", { className: "state", "data-state": state, style: { borderColor: stateColour(state), color: stateColour(state) }, children: [_jsx("span", { className: "dot", style: { background: stateColour(state) }, "aria-hidden": "true" }), state] }));
}

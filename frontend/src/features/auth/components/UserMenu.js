import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
import { useState } from 'react';
import { ChangePasswordForm } from './ChangePasswordForm';
/** Who is signed in, in the header, with their own password change and the sign-out button. */
export function UserMenu({ apiBase, operator, onSignOut }) {
    const [changing, setChanging] = useState(false);
    const [notice, setNotice] = useState(null);
    return (_jsxs("div", { className: "user-menu", children: [_jsx("span", { "data-testid": "current-user", children: operator.user }), _jsx("span", { className: "role", "data-testid": "current-role", children: operator.role }), _jsx("button", { type: "button", "aria-expanded": changing, onClick: () => { setChanging(!changing); setNotice(null); }, "data-testid": "change-password", children: "Password" }), _jsx("button", { type: "button", onClick: onSignOut, "data-testid": "logout", children: "Sign out" }), changing && _jsx("div", { className: "password-panel", children: _jsx(ChangePasswordForm, { apiBase: apiBase, onDone: (message) => { setChanging(false); setNotice(message); } }) }), notice && _jsx("p", { className: "password-panel", role: "status", "data-testid": "password-notice", children: notice })] }));
}

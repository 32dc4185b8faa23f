import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
import { useState } from 'react';
import { signIn } from '../api/session';
/** The sign-in form; the whole dashboard sits behind it. */
export function LoginPage({ apiBase, notice, onSignedIn }) {
    const [user, setUser] = useState('');
    const [password, setPassword] = useState('');
    const [error, setError] = useState(null);
    const [busy, setBusy] = useState(false);
    const submit = async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        try {
            const result = await signIn(apiBase, user.trim(), password);
            if (result.ok)
                onSignedIn(result.operator);
            else {
                setError(result.message);
                setPassword('');
            }
        }
        catch (err) {
            setError(`Cannot reach the server: ${String(err)}`);
        }
        finally {
            setBusy(false);
        }
    };
    return (_jsx("main", { className: "login", children: _jsxs("form", { onSubmit: (e) => void submit(e), "aria-label": "Sign in", "data-testid": "login-form", children: [_jsx("h1", { children: "FleetHealth" }), notice && _jsx("p", { className: "muted", role: "status", children: notice }), _jsxs("label", { children: ["User name", _jsx("input", { name: "user", autoComplete: "username", required: true, value: user, onChange: (e) => setUser(e.target.value), "data-testid": "login-user" })] }), _jsxs("label", { children: ["Password", _jsx("input", { name: "password", type: "password", autoComplete: "current-password", required: true, value: password, onChange: (e) => setPassword(e.target.value), "data-testid": "login-password" })] }), _jsx("button", { type: "submit", disabled: busy, "data-testid": "login-submit", children: busy ? 'Signing in…' : 'Sign in' }), error && _jsx("p", { className: "error", role: "alert", "data-testid": "login-error", children: error })] }) }));
}

import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
import { useState } from 'react';
import { changeOwnPassword } from '../api/password';
/** The signed-in operator's own password change; other sessions of the operator end with it. */
export function ChangePasswordForm({ apiBase, onDone }) {
    const [current, setCurrent] = useState('');
    const [next, setNext] = useState('');
    const [confirm, setConfirm] = useState('');
    const [error, setError] = useState(null);
    const [busy, setBusy] = useState(false);
    const submit = async (e) => {
        e.preventDefault();
        if (next !== confirm) {
            setError('The two new passwords differ.');
            return;
        }
        setBusy(true);
        setError(null);
        try {
            const result = await changeOwnPassword(apiBase, current, next);
            if (result.ok)
                onDone('Password changed; your other sessions are signed out.');
            else
                setError(result.message);
        }
        catch (err) {
            setError(`Cannot reach the server: ${String(err)}`);
        }
        finally {
            setBusy(false);
        }
    };
    return (_jsxs("form", { className: "password-form", onSubmit: (e) => void submit(e), "aria-label": "Change password", "data-testid": "password-form", children: [_jsxs("label", { children: ["Current password", _jsx("input", { type: "password", autoComplete: "current-password", required: true, value: current, onChange: (e) => setCurrent(e.target.value), "data-testid": "password-current" })] }), _jsxs("label", { children: ["New password", _jsx("input", { type: "password", autoComplete: "new-password", required: true, value: next, onChange: (e) => setNext(e.target.value), "data-testid": "password-new" })] }), _jsxs("label", { children: ["New password again", _jsx("input", { type: "password", autoComplete: "new-password", required: true, value: confirm, onChange: (e) => setConfirm(e.target.value), "data-testid": "password-confirm" })] }), _jsx("button", { type: "submit", disabled: busy, "data-testid": "password-submit", children: busy ? 'Changing…' : 'Change password' }), error && _jsx("p", { className: "error", role: "alert", "data-testid": "password-error", children: error })] }));
}

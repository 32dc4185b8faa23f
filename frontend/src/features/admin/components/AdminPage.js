import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
import { useCallback, useEffect, useState } from 'react';
import { time } from '@/ui/format';
import { createKey, createOperator, fetchKeys, fetchOperators, newKeyProblem, newOperatorProblem, revokeKey, setOperatorDisabled, } from '../api/admin';
/** Admins: ingest keys (create, shown once; revoke) and operators (create, disable, enable). */
export function AdminPage({ apiBase }) {
    return (_jsxs("article", { className: "admin-page", children: [_jsx(IngestKeys, { apiBase: apiBase }), _jsx(Operators, { apiBase: apiBase })] }));
}
function IngestKeys({ apiBase }) {
    const [keys, setKeys] = useState([]);
    const [name, setName] = useState('');
    const [tag, setTag] = useState('');
    const [created, setCreated] = useState(null);
    const [error, setError] = useState(null);
    const reload = useCallback(() => fetchKeys(apiBase).then(setKeys).catch((e) => setError(errorText(e))), [apiBase]);
    useEffect(() => { void reload(); }, [reload]);
    const submit = async (e) => {
        e.preventDefault();
        const problem = newKeyProblem(name, tag);
        if (problem) {
            setError(problem);
            return;
        }
        try {
            setCreated(await createKey(apiBase, name, tag));
            setName('');
            setTag('');
            setError(null);
            await reload();
        }
        catch (err) {
            setError(errorText(err));
        }
    };
    const revoke = async (keyId) => {
        try {
            await revokeKey(apiBase, keyId);
            setError(null);
            await reload();
        }
        catch (err) {
            setError(errorText(err));
        }
    };
    return (_jsxs("section", { "aria-label": "Ingest keys", children: [_jsx("h2", { children: "Ingest keys" }), _jsxs("form", { className: "inline-form", onSubmit: (e) => void submit(e), children: [_jsxs("label", { children: ["Name ", _jsx("input", { value: name, onChange: (e) => setName(e.target.value), "data-testid": "key-name" })] }), _jsxs("label", { children: ["Only tag (optional) ", _jsx("input", { value: tag, onChange: (e) => setTag(e.target.value), placeholder: "all sensors", "data-testid": "key-tag" })] }), _jsx("button", { type: "submit", "data-testid": "key-create", children: "Create key" })] }), created && (_jsxs("div", { className: "warning", role: "status", children: [_jsxs("p", { children: ["Key ", _jsx("strong", { children: created.name }), " created. Copy it now: it is not shown again."] }), _jsx("code", { "data-testid": "new-key", children: created.key }), _jsx("button", { type: "button", onClick: () => setCreated(null), children: "Done" })] })), error && _jsx("p", { className: "error", role: "alert", "data-testid": "admin-error", children: error }), _jsxs("table", { className: "history", children: [_jsx("thead", { children: _jsxs("tr", { children: [_jsx("th", { children: "Key id" }), _jsx("th", { children: "Name" }), _jsx("th", { children: "Scope" }), _jsx("th", { children: "Created" }), _jsx("th", { children: "By" }), _jsx("th", { children: "State" }), _jsx("th", {})] }) }), _jsx("tbody", { children: keys.map((k) => (_jsxs("tr", { "data-key": k.keyId, children: [_jsx("td", { children: _jsx("code", { children: k.keyId }) }), _jsx("td", { children: k.name }), _jsx("td", { children: k.tag ? `tag ${k.tag}` : 'all sensors' }), _jsx("td", { children: time(k.createdAt) }), _jsx("td", { children: k.createdBy }), _jsx("td", { "data-testid": "key-state", children: k.revokedAt ? `revoked ${time(k.revokedAt)}` : 'active' }), _jsx("td", { children: !k.revokedAt && _jsx("button", { type: "button", onClick: () => void revoke(k.keyId), "data-testid": "key-revoke", children: "Revoke" }) })] }, k.keyId))) })] })] }));
}
function Operators({ apiBase }) {
    const [operators, setOperators] = useState([]);
    const [user, setUser] = useState('');
    const [role, setRole] = useState('viewer');
    const [password, setPassword] = useState('');
    const [created, setCreated] = useState(null);
    const [error, setError] = useState(null);
    const reload = useCallback(() => fetchOperators(apiBase).then(setOperators).catch((e) => setError(errorText(e))), [apiBase]);
    useEffect(() => { void reload(); }, [reload]);
    const submit = async (e) => {
        e.preventDefault();
        const problem = newOperatorProblem(user, password);
        if (problem) {
            setError(problem);
            return;
        }
        try {
            setCreated(await createOperator(apiBase, user, role, password));
            setUser('');
            setPassword('');
            setError(null);
            await reload();
        }
        catch (err) {
            setError(errorText(err));
        }
    };
    const toggle = async (o) => {
        try {
            await setOperatorDisabled(apiBase, o.user, !o.disabledAt);
            setError(null);
            await reload();
        }
        catch (err) {
            setError(errorText(err));
        }
    };
    return (_jsxs("section", { "aria-label": "Operators", children: [_jsx("h2", { children: "Operators" }), _jsxs("form", { className: "inline-form", onSubmit: (e) => void submit(e), children: [_jsxs("label", { children: ["User name ", _jsx("input", { value: user, onChange: (e) => setUser(e.target.value), "data-testid": "operator-user" })] }), _jsxs("label", { children: ["Role", _jsxs("select", { value: role, onChange: (e) => setRole(e.target.value), "data-testid": "operator-role", children: [_jsx("option", { value: "viewer", children: "viewer" }), _jsx("option", { value: "operator", children: "operator" }), _jsx("option", { value: "admin", children: "admin" })] })] }), _jsxs("label", { children: ["Password (optional) ", _jsx("input", { type: "password", autoComplete: "new-password", value: password, onChange: (e) => setPassword(e.target.value), placeholder: "generate one", "data-testid": "operator-password" })] }), _jsx("button", { type: "submit", "data-testid": "operator-create", children: "Create operator" })] }), created && (_jsxs("div", { className: "warning", role: "status", children: [_jsxs("p", { children: ["Operator ", _jsx("strong", { "data-testid": "new-operator", children: created.user }), " (", created.role, ") created.", created.password ? ' Hand over this password now: it is not shown again.' : ''] }), created.password && _jsx("code", { "data-testid": "new-operator-password", children: created.password }), _jsx("button", { type: "button", onClick: () => setCreated(null), children: "Done" })] })), error && _jsx("p", { className: "error", role: "alert", children: error }), _jsxs("table", { className: "history", children: [_jsx("thead", { children: _jsxs("tr", { children: [_jsx("th", { children: "User" }), _jsx("th", { children: "Role" }), _jsx("th", { children: "Created" }), _jsx("th", { children: "By" }), _jsx("th", { children: "State" }), _jsx("th", {})] }) }), _jsx("tbody", { children: operators.map((o) => (_jsxs("tr", { "data-operator": o.user, children: [_jsx("td", { children: o.user }), _jsx("td", { children: o.role }), _jsx("td", { children: time(o.createdAt) }), _jsx("td", { children: o.createdBy }), _jsx("td", { children: o.disabledAt ? `disabled ${time(o.disabledAt)}` : 'enabled' }), _jsx("td", { children: _jsx("button", { type: "button", onClick: () => void toggle(o), children: o.disabledAt ? 'Enable' : 'Disable' }) })] }, o.user))) })] })] }));
}
const errorText = (e) => (e instanceof Error ? e.message : String(e));

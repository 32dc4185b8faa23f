import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
import { useCallback, useEffect, useState } from 'react';
import { number, time } from '@/ui/format';
import { clearTagSettings, fetchTags, parseSeconds, saveTagSettings, tagError } from '../api/tags';
/** Every tag in use with its liveness settings; operators set or clear a tag's interval and grace. */
export function TagSettingsPage({ apiBase, canEdit }) {
    const [list, setList] = useState(null);
    const [error, setError] = useState(null);
    const [tag, setTag] = useState('');
    const [interval, setIntervalText] = useState('');
    const [grace, setGrace] = useState('');
    const [message, setMessage] = useState(null);
    const load = useCallback((signal) => fetchTags(apiBase, signal)
        .then((l) => { setList(l); setError(null); })
        .catch((e) => { if (!signal?.aborted)
        setError(String(e)); }), [apiBase]);
    useEffect(() => {
        const controller = new AbortController();
        void load(controller.signal);
        return () => controller.abort();
    }, [load]);
    const edit = (name, i, g) => {
        setTag(name);
        setIntervalText(i == null ? '' : String(i));
        setGrace(g == null ? '' : String(g));
        setMessage(null);
    };
    const save = async () => {
        const badTag = tagError(tag.trim());
        const i = parseSeconds(interval, 'interval');
        const g = parseSeconds(grace, 'grace');
        const invalid = badTag ?? ('error' in i ? i.error : null) ?? ('error' in g ? g.error : null);
        if (invalid || 'error' in i || 'error' in g) {
            setMessage(invalid);
            return;
        }
        try {
            await saveTagSettings(apiBase, tag.trim(), i.value, g.value);
            setMessage(`Saved ${tag.trim()}: in force on every node in a moment.`);
            await load();
        }
        catch (e) {
            setMessage(String(e));
        }
    };
    const clear = async (name) => {
        try {
            await clearTagSettings(apiBase, name);
            setMessage(`Cleared ${name}: its sensors inherit the fleet defaults.`);
            await load();
        }
        catch (e) {
            setMessage(String(e));
        }
    };
    return (_jsxs("article", { "aria-label": "Tag settings", "data-testid": "tag-settings", children: [_jsx("h2", { children: "Tag settings" }), _jsxs("p", { className: "muted", children: ["A sensor's expected interval and grace come from its own setting, else the first of its tags (in name order) that sets one, else the fleet default", list ? ` (${list.fleetIntervalSeconds} s and ${list.fleetGraceSeconds} s)` : '', "."] }), error && _jsx("p", { className: "error", children: error }), canEdit && _jsxs("form", { className: "filters", onSubmit: (e) => { e.preventDefault(); void save(); }, children: [_jsxs("label", { children: ["Tag ", _jsx("input", { "data-testid": "tag-name", value: tag, onChange: (e) => setTag(e.target.value), placeholder: "site:north" })] }), _jsxs("label", { children: ["Interval (s) ", _jsx("input", { "data-testid": "tag-interval", value: interval, onChange: (e) => setIntervalText(e.target.value), placeholder: "inherit", inputMode: "decimal" })] }), _jsxs("label", { children: ["Grace (s) ", _jsx("input", { "data-testid": "tag-grace", value: grace, onChange: (e) => setGrace(e.target.value), placeholder: "inherit", inputMode: "decimal" })] }), _jsx("button", { type: "submit", "data-testid": "tag-save", children: "Save" })] }), message && _jsx("p", { role: "status", "data-testid": "tag-message", children: message }), list && (list.items.length === 0 ? _jsx("p", { className: "muted", children: "No tags in use." }) : (_jsxs("table", { children: [_jsx("thead", { children: _jsxs("tr", { children: [_jsx("th", { children: "Tag" }), _jsx("th", { children: "Sensors" }), _jsx("th", { children: "Interval" }), _jsx("th", { children: "Grace" }), _jsx("th", { children: "Changed" }), _jsx("th", {})] }) }), _jsx("tbody", { children: list.items.map((t) => (_jsxs("tr", { "data-tag": t.tag, children: [_jsx("td", { children: _jsx("code", { children: t.tag }) }), _jsx("td", { children: number(t.sensors) }), _jsx("td", { "data-testid": "tag-row-interval", children: t.intervalSeconds != null ? `${t.intervalSeconds} s` : 'fleet' }), _jsx("td", { children: t.graceSeconds != null ? `${t.graceSeconds} s` : 'fleet' }), _jsx("td", { children: t.updatedAt ? `${time(t.updatedAt)}${t.updatedBy ? ` by ${t.updatedBy}` : ''}` : '—' }), _jsxs("td", { children: [canEdit && _jsx("button", { type: "button", onClick: () => edit(t.tag, t.intervalSeconds, t.graceSeconds), children: "Edit" }), canEdit && (t.intervalSeconds != null || t.graceSeconds != null) && _jsx("button", { type: "button", onClick: () => void clear(t.tag), children: "Clear" })] })] }, t.tag))) })] })))] }));
}

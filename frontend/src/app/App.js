import { jsx as _jsx } from "react/jsx-runtime";
import { useCallback, useEffect, useState } from 'react';
import { onUnauthorized } from '@/api/http';
import { env } from '@/config/env';
import { fetchCurrentOperator, signOut } from '@/features/auth/api/session';
import { LoginPage } from '@/features/auth/components/LoginPage';
import { Dashboard } from './Dashboard';
/**
 * Everything sits behind sign-in: the app asks who is signed in, shows the sign-in page until
 * someone is, and goes back to it whenever any API call answers 401 (the session ended), staying
 * on the same address so that signing in again returns to the same page.
 */
export function App() {
    const [session, setSession] = useState({ state: 'checking' });
    useEffect(() => {
        const controller = new AbortController();
        fetchCurrentOperator(env.apiBase, controller.signal)
            .then((operator) => setSession(operator ? { state: 'signed-in', operator } : { state: 'signed-out', notice: null }))
            .catch((e) => { if (!controller.signal.aborted)
            setSession({ state: 'signed-out', notice: `Cannot reach the server: ${String(e)}` }); });
        return () => controller.abort();
    }, []);
    useEffect(() => onUnauthorized(() => setSession((s) => (s.state === 'signed-in' ? { state: 'signed-out', notice: 'Your session has ended; sign in again.' } : s))), []);
    const leave = useCallback(() => {
        // Signed out here whatever the server answers; a session it could not delete expires on its own.
        signOut(env.apiBase).catch(() => { }).finally(() => setSession({ state: 'signed-out', notice: 'Signed out.' }));
    }, []);
    if (session.state === 'checking')
        return _jsx("p", { className: "muted", role: "status", children: "Loading\u2026" });
    if (session.state === 'signed-out') {
        return _jsx(LoginPage, { apiBase: env.apiBase, notice: session.notice, onSignedIn: (operator) => setSession({ state: 'signed-in', operator }) });
    }
    return _jsx(Dashboard, { operator: session.operator, onSignOut: leave });
}

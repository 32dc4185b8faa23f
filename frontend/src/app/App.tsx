import { useCallback, useEffect, useState } from 'react';
import { fetchErrorSentence } from '@/api/fetchError';
import { onUnauthorized } from '@/api/http';
import { env } from '@/config/env';
import { fetchCurrentOperator, signOut, type CurrentOperator } from '@/features/auth/api/session';
import { LoginPage } from '@/features/auth/components/LoginPage';
import { Dashboard } from './Dashboard';

type Session =
  | { state: 'checking' }
  | { state: 'signed-out'; notice: string | null }
  | { state: 'signed-in'; operator: CurrentOperator };

/**
 * Everything sits behind sign-in: the app asks who is signed in, shows the sign-in page until
 * someone is, and goes back to it whenever any API call answers 401 (the session ended), staying
 * on the same address so that signing in again returns to the same page.
 */
export function App() {
  const [session, setSession] = useState<Session>({ state: 'checking' });

  useEffect(() => {
    const controller = new AbortController();
    fetchCurrentOperator(env.apiBase, controller.signal)
      .then((operator) => setSession(operator ? { state: 'signed-in', operator } : { state: 'signed-out', notice: null }))
      .catch((e: unknown) => { if (!controller.signal.aborted) setSession({ state: 'signed-out', notice: `Cannot check who is signed in: ${fetchErrorSentence(e)}` }); });
    return () => controller.abort();
  }, []);

  useEffect(() => onUnauthorized(() => setSession((s) => (s.state === 'signed-in' ? { state: 'signed-out', notice: 'Your session has ended; sign in again.' } : s))), []);

  const leave = useCallback(() => {
    // Signed out here whatever the server answers; a session it could not delete expires on its own.
    signOut(env.apiBase).catch(() => {}).finally(() => setSession({ state: 'signed-out', notice: 'Signed out.' }));
  }, []);

  if (session.state === 'checking') return <p className="muted" role="status">Loading…</p>;
  if (session.state === 'signed-out') {
    return <LoginPage apiBase={env.apiBase} notice={session.notice} onSignedIn={(operator) => setSession({ state: 'signed-in', operator })} />;
  }
  return <Dashboard operator={session.operator} onSignOut={leave} />;
}

import { useState, type FormEvent } from 'react';
import { signIn, type CurrentOperator } from '../api/session';

/** The sign-in form; the whole dashboard sits behind it. */
export function LoginPage({ apiBase, notice, onSignedIn }: { apiBase: string; notice: string | null; onSignedIn: (operator: CurrentOperator) => void }) {
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await signIn(apiBase, user.trim(), password);
      if (result.ok) onSignedIn(result.operator);
      else { setError(result.message); setPassword(''); }
    } catch (err: unknown) {
      setError(`Cannot reach the server: ${String(err)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <form onSubmit={(e) => void submit(e)} aria-label="Sign in" data-testid="login-form">
        <h1>FleetHealth</h1>
        {notice && <p className="muted" role="status">{notice}</p>}
        <label>User name<input name="user" autoComplete="username" required value={user} onChange={(e) => setUser(e.target.value)} data-testid="login-user" /></label>
        <label>Password<input name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} data-testid="login-password" /></label>
        <button type="submit" disabled={busy} data-testid="login-submit">{busy ? 'Signing in…' : 'Sign in'}</button>
        {error && <p className="error" role="alert" data-testid="login-error">{error}</p>}
      </form>
    </main>
  );
}

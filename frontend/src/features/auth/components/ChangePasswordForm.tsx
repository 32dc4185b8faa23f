import { useState, type FormEvent } from 'react';
import { changeOwnPassword } from '../api/password';

/** The signed-in operator's own password change; other sessions of the operator end with it. */
export function ChangePasswordForm({ apiBase, onDone }: { apiBase: string; onDone: (message: string) => void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (next !== confirm) { setError('The two new passwords differ.'); return; }
    setBusy(true);
    setError(null);
    try {
      const result = await changeOwnPassword(apiBase, current, next);
      if (result.ok) onDone('Password changed; your other sessions are signed out.');
      else setError(result.message);
    } catch (err: unknown) {
      setError(`Cannot reach the server: ${String(err)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="password-form" onSubmit={(e) => void submit(e)} aria-label="Change password" data-testid="password-form">
      <label>Current password<input type="password" autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.target.value)} data-testid="password-current" /></label>
      <label>New password<input type="password" autoComplete="new-password" required value={next} onChange={(e) => setNext(e.target.value)} data-testid="password-new" /></label>
      <label>New password again<input type="password" autoComplete="new-password" required value={confirm} onChange={(e) => setConfirm(e.target.value)} data-testid="password-confirm" /></label>
      <button type="submit" disabled={busy} data-testid="password-submit">{busy ? 'Changing…' : 'Change password'}</button>
      {error && <p className="error" role="alert" data-testid="password-error">{error}</p>}
    </form>
  );
}

import { useState } from 'react';
import type { CurrentOperator } from '../api/session';
import { ChangePasswordForm } from './ChangePasswordForm';

/** Who is signed in, in the header, with their own password change and the sign-out button. */
export function UserMenu({ apiBase, operator, onSignOut }: { apiBase: string; operator: CurrentOperator; onSignOut: () => void }) {
  const [changing, setChanging] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <div className="user-menu">
      <span data-testid="current-user">{operator.user}</span>
      <span className="role" data-testid="current-role">{operator.role}</span>
      <button type="button" aria-expanded={changing} onClick={() => { setChanging(!changing); setNotice(null); }} data-testid="change-password">Password</button>
      <button type="button" onClick={onSignOut} data-testid="logout">Sign out</button>
      {changing && <div className="password-panel"><ChangePasswordForm apiBase={apiBase} onDone={(message) => { setChanging(false); setNotice(message); }} /></div>}
      {notice && <p className="password-panel" role="status" data-testid="password-notice">{notice}</p>}
    </div>
  );
}

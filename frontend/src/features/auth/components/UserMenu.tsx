import type { CurrentOperator } from '../api/session';

/** Who is signed in, in the header, with the sign-out button. */
export function UserMenu({ operator, onSignOut }: { operator: CurrentOperator; onSignOut: () => void }) {
  return (
    <div className="user-menu">
      <span data-testid="current-user">{operator.user}</span>
      <span className="role" data-testid="current-role">{operator.role}</span>
      <button type="button" onClick={onSignOut} data-testid="logout">Sign out</button>
    </div>
  );
}

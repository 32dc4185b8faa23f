import { fetchErrorSentence } from '@/api/fetchError';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { time } from '@/ui/format';
import {
  createKey, createOperator, fetchKeys, fetchOperators, newKeyProblem, newOperatorProblem, revokeKey, setOperatorDisabled,
  type CreatedKey, type CreatedOperator, type IngestKey, type Operator,
} from '../api/admin';

/** Admins: ingest keys (create, shown once; revoke) and operators (create, disable, enable). */
export function AdminPage({ apiBase }: { apiBase: string }) {
  return (
    <article className="admin-page">
      <IngestKeys apiBase={apiBase} />
      <Operators apiBase={apiBase} />
    </article>
  );
}

function IngestKeys({ apiBase }: { apiBase: string }) {
  const [keys, setKeys] = useState<IngestKey[]>([]);
  const [name, setName] = useState('');
  const [tag, setTag] = useState('');
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(() => fetchKeys(apiBase).then(setKeys).catch((e: unknown) => setError(errorText(e))), [apiBase]);
  useEffect(() => { void reload(); }, [reload]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problem = newKeyProblem(name, tag);
    if (problem) { setError(problem); return; }
    try {
      setCreated(await createKey(apiBase, name, tag));
      setName('');
      setTag('');
      setError(null);
      await reload();
    } catch (err: unknown) { setError(errorText(err)); }
  };

  const revoke = async (keyId: string) => {
    try { await revokeKey(apiBase, keyId); setError(null); await reload(); } catch (err: unknown) { setError(errorText(err)); }
  };

  return (
    <section aria-label="Ingest keys">
      <h2>Ingest keys</h2>
      <form className="inline-form" onSubmit={(e) => void submit(e)}>
        <label>Name <input value={name} onChange={(e) => setName(e.target.value)} data-testid="key-name" /></label>
        <label>Only tag (optional) <input value={tag} onChange={(e) => setTag(e.target.value)} placeholder="all sensors" data-testid="key-tag" /></label>
        <button type="submit" data-testid="key-create">Create key</button>
      </form>
      {created && (
        <div className="warning" role="status">
          <p>Key <strong>{created.name}</strong> created. Copy it now: it is not shown again.</p>
          <code data-testid="new-key">{created.key}</code>
          <button type="button" onClick={() => setCreated(null)}>Done</button>
        </div>
      )}
      {error && <p className="error" role="alert" data-testid="admin-error">{error}</p>}
      <table className="history">
        <thead><tr><th>Key id</th><th>Name</th><th>Scope</th><th>Created</th><th>By</th><th>State</th><th /></tr></thead>
        <tbody>
          {keys.map((k) => (
            <tr key={k.keyId} data-key={k.keyId}>
              <td><code>{k.keyId}</code></td>
              <td>{k.name}</td>
              <td>{k.tag ? `tag ${k.tag}` : 'all sensors'}</td>
              <td>{time(k.createdAt)}</td>
              <td>{k.createdBy}</td>
              <td data-testid="key-state">{k.revokedAt ? `revoked ${time(k.revokedAt)}` : 'active'}</td>
              <td>{!k.revokedAt && <button type="button" onClick={() => void revoke(k.keyId)} data-testid="key-revoke">Revoke</button>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Operators({ apiBase }: { apiBase: string }) {
  const [operators, setOperators] = useState<Operator[]>([]);
  const [user, setUser] = useState('');
  const [role, setRole] = useState('viewer');
  const [password, setPassword] = useState('');
  const [created, setCreated] = useState<CreatedOperator | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(() => fetchOperators(apiBase).then(setOperators).catch((e: unknown) => setError(errorText(e))), [apiBase]);
  useEffect(() => { void reload(); }, [reload]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problem = newOperatorProblem(user, password);
    if (problem) { setError(problem); return; }
    try {
      setCreated(await createOperator(apiBase, user, role, password));
      setUser('');
      setPassword('');
      setError(null);
      await reload();
    } catch (err: unknown) { setError(errorText(err)); }
  };

  const toggle = async (o: Operator) => {
    try { await setOperatorDisabled(apiBase, o.user, !o.disabledAt); setError(null); await reload(); } catch (err: unknown) { setError(errorText(err)); }
  };

  return (
    <section aria-label="Operators">
      <h2>Operators</h2>
      <form className="inline-form" onSubmit={(e) => void submit(e)}>
        <label>User name <input value={user} onChange={(e) => setUser(e.target.value)} data-testid="operator-user" /></label>
        <label>Role
          <select value={role} onChange={(e) => setRole(e.target.value)} data-testid="operator-role">
            <option value="viewer">viewer</option><option value="operator">operator</option><option value="admin">admin</option>
          </select>
        </label>
        <label>Password (optional) <input type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} placeholder="generate one" data-testid="operator-password" /></label>
        <button type="submit" data-testid="operator-create">Create operator</button>
      </form>
      {created && (
        <div className="warning" role="status">
          <p>Operator <strong data-testid="new-operator">{created.user}</strong> ({created.role}) created.{created.password ? ' Hand over this password now: it is not shown again.' : ''}</p>
          {created.password && <code data-testid="new-operator-password">{created.password}</code>}
          <button type="button" onClick={() => setCreated(null)}>Done</button>
        </div>
      )}
      {error && <p className="error" role="alert">{error}</p>}
      <table className="history">
        <thead><tr><th>User</th><th>Role</th><th>Created</th><th>By</th><th>State</th><th /></tr></thead>
        <tbody>
          {operators.map((o) => (
            <tr key={o.user} data-operator={o.user}>
              <td>{o.user}</td>
              <td>{o.role}</td>
              <td>{time(o.createdAt)}</td>
              <td>{o.createdBy}</td>
              <td>{o.disabledAt ? `disabled ${time(o.disabledAt)}` : 'enabled'}</td>
              <td><button type="button" onClick={() => void toggle(o)}>{o.disabledAt ? 'Enable' : 'Disable'}</button></td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

const errorText = (e: unknown): string => fetchErrorSentence(e);

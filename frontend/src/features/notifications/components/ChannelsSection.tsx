import { useState } from 'react';
import { time } from '@/ui/format';
import {
  CHANNEL_KINDS, TLS_MODES, channelBody, channelToForm, createChannel, deleteChannel, emptyChannelForm, fetchChannels, testChannel, testOutcome, updateChannel,
  type Channel, type ChannelForm, type ChannelKind,
} from '../api/channels';
import { messageOf, useLoad } from './useLoad';

/** Where messages go (admins): list, create, edit, delete, and send a test showing what the receiver answered. Secrets are typed, never shown. */
export function ChannelsSection({ apiBase, admin }: { apiBase: string; admin: boolean }) {
  const { value: channels, error, reload } = useLoad((signal) => fetchChannels(apiBase, signal), apiBase);
  const [editing, setEditing] = useState<Channel | null>(null);
  const [form, setForm] = useState<ChannelForm>(emptyChannelForm());
  const [message, setMessage] = useState<string | null>(null);
  const [tests, setTests] = useState<Record<number, string>>({});

  const startEdit = (c: Channel) => { setEditing(c); setForm(channelToForm(c)); setMessage(null); };
  const reset = () => { setEditing(null); setForm(emptyChannelForm(form.kind)); };

  const save = async () => {
    const built = channelBody(form, editing === null);
    if ('error' in built) { setMessage(built.error); return; }
    try {
      const saved = editing ? await updateChannel(apiBase, editing.id, built.body) : await createChannel(apiBase, built.body);
      setMessage(`${editing ? 'Saved' : 'Created'} channel ${saved.name} (id ${saved.id}).`);
      reset();
      await reload();
    } catch (e) {
      setMessage(messageOf(e));
    }
  };

  const remove = async (c: Channel) => {
    if (!window.confirm(`Delete channel ${c.name}? Rules stop sending to it.`)) return;
    try {
      await deleteChannel(apiBase, c.id);
      setMessage(`Deleted channel ${c.name}.`);
      if (editing?.id === c.id) reset();
      await reload();
    } catch (e) {
      setMessage(messageOf(e));
    }
  };

  const test = async (c: Channel) => {
    setTests((t) => ({ ...t, [c.id]: 'Sending…' }));
    try {
      const result = await testChannel(apiBase, c.id);
      setTests((t) => ({ ...t, [c.id]: testOutcome(result) }));
    } catch (e) {
      setTests((t) => ({ ...t, [c.id]: messageOf(e) }));
    }
  };

  const set = (patch: Partial<ChannelForm>) => setForm((f) => ({ ...f, ...patch }));
  const field = (label: string, key: keyof ChannelForm, props: { placeholder?: string; type?: string } = {}) => (
    <label>{label} <input data-testid={`channel-${key}`} value={form[key] as string} onChange={(e) => set({ [key]: e.target.value })} autoComplete="off" {...props} /></label>
  );

  return (
    <section aria-label="Channels" data-testid="channels">
      <p className="muted">Where alert messages go. Secrets (a webhook's signing secret, a Slack URL, an SMTP password) are sent once and never shown again.</p>
      {error && <p className="error" data-testid="channels-error">{error}</p>}
      {admin && (
        <form className="inline-form" data-testid="channel-form" onSubmit={(e) => { e.preventDefault(); void save(); }}>
          <strong>{editing ? `Edit ${editing.name}` : 'New channel'}</strong>
          {field('Name', 'name', { placeholder: 'ops' })}
          <label>Kind{' '}
            <select data-testid="channel-kind" value={form.kind} disabled={editing !== null} onChange={(e) => set({ kind: e.target.value as ChannelKind })}>
              {CHANNEL_KINDS.map((k) => <option key={k} value={k}>{k}</option>)}
            </select>
          </label>
          {form.kind === 'webhook' && <>
            {field('URL', 'url', { placeholder: 'https://hooks.example.com/fleet' })}
            {field(editing?.hasSecret ? 'Secret (blank: keep)' : 'Secret (signs the body)', 'secret', { type: 'password' })}
            {editing?.hasSecret && <label><input type="checkbox" checked={form.clearSecret} onChange={(e) => set({ clearSecret: e.target.checked })} /> remove the secret</label>}
          </>}
          {form.kind === 'slack' && field(editing ? 'Incoming-webhook URL (blank: keep)' : 'Incoming-webhook URL', 'url', { type: 'password', placeholder: 'https://hooks.slack.com/services/…' })}
          {form.kind === 'email' && <>
            {field('SMTP host', 'host', { placeholder: 'smtp.example.com' })}
            {field('Port', 'port', { placeholder: '587' })}
            <label>TLS{' '}
              <select data-testid="channel-tls" value={form.tls} onChange={(e) => set({ tls: e.target.value })}>
                {TLS_MODES.map((m) => <option key={m} value={m}>{m}</option>)}
              </select>
            </label>
            {field('User name', 'userName')}
            {field(editing?.hasSecret ? 'Password (blank: keep)' : 'Password', 'password', { type: 'password' })}
            {field('From', 'from', { placeholder: 'FleetHealth <fleet@example.com>' })}
            {field('To', 'to', { placeholder: 'ops@example.com, oncall@example.com' })}
          </>}
          <button type="submit" data-testid="channel-save">{editing ? 'Save' : 'Create'}</button>
          {editing && <button type="button" onClick={reset}>Cancel</button>}
        </form>
      )}
      {message && <p role="status" data-testid="channel-message">{message}</p>}
      {channels && (channels.length === 0 ? <p className="muted">No channels yet.</p> : (
        <table className="data">
          <thead><tr><th>Id</th><th>Name</th><th>Kind</th><th>Target</th><th>Secret</th><th>Changed</th><th /></tr></thead>
          <tbody>
            {channels.map((c) => (
              <tr key={c.id} data-channel={c.name}>
                <td>{c.id}</td>
                <td>{c.name}</td>
                <td>{c.kind}</td>
                <td><code>{c.kind === 'email' ? `${c.host ?? ''}${c.port ? `:${c.port}` : ''} → ${(c.to ?? []).join(', ')}` : c.url}</code></td>
                <td>{c.hasSecret ? 'set' : '—'}</td>
                <td>{time(c.updatedAt)} by {c.createdBy}</td>
                <td>
                  {admin && <button type="button" onClick={() => void test(c)} data-testid="channel-test">Send test</button>}
                  {admin && <button type="button" onClick={() => startEdit(c)} data-testid="channel-edit">Edit</button>}
                  {admin && <button type="button" onClick={() => void remove(c)} data-testid="channel-delete">Delete</button>}
                  {tests[c.id] && <div data-testid="channel-test-result">{tests[c.id]}</div>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </section>
  );
}

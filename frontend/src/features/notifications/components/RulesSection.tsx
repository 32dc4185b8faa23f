import { useState } from 'react';
import { duration, time } from '@/ui/format';
import { fetchChannels } from '../api/channels';
import {
  TRANSITIONS, createRule, deleteRule, emptyRuleForm, fetchRules, parseChannelIds, replaceRule, ruleBody, ruleToForm,
  type Rule, type RuleForm,
} from '../api/rules';
import { messageOf, useLoad } from './useLoad';

/**
 * Which transitions of which sensors go to which channels, and how they are grouped (operators).
 * Channels are picked by name when they can be listed (admins); others type their ids.
 */
export function RulesSection({ apiBase }: { apiBase: string }) {
  const { value: rules, error, reload } = useLoad((signal) => fetchRules(apiBase, signal), apiBase);
  const { value: channels } = useLoad((signal) => fetchChannels(apiBase, signal), apiBase);
  const [editing, setEditing] = useState<Rule | null>(null);
  const [form, setForm] = useState<RuleForm>(emptyRuleForm());
  const [channelIds, setChannelIds] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const names = new Map((channels ?? []).map((c) => [c.id, c.name]));

  const set = (patch: Partial<RuleForm>) => setForm((f) => ({ ...f, ...patch }));
  const toggle = <T,>(list: T[], item: T, on: boolean) => (on ? [...list, item] : list.filter((x) => x !== item));
  const startEdit = (r: Rule) => { setEditing(r); setForm(ruleToForm(r)); setChannelIds(r.channels.join(', ')); setMessage(null); };
  const reset = () => { setEditing(null); setForm(emptyRuleForm()); setChannelIds(''); };

  const save = async () => {
    let picked = form.channels;
    if (!channels) {
      const ids = parseChannelIds(channelIds);
      if (!ids) { setMessage('Channel ids are positive whole numbers, separated by commas.'); return; }
      picked = ids;
    }
    const built = ruleBody({ ...form, channels: picked });
    if ('error' in built) { setMessage(built.error); return; }
    try {
      const saved = editing ? await replaceRule(apiBase, editing.id, built.body) : await createRule(apiBase, built.body);
      setMessage(`${editing ? 'Saved' : 'Created'} rule ${saved.name}.`);
      reset();
      await reload();
    } catch (e) {
      setMessage(messageOf(e));
    }
  };

  const remove = async (r: Rule) => {
    if (!window.confirm(`Delete rule ${r.name}? Its open alert group closes without a message.`)) return;
    try {
      await deleteRule(apiBase, r.id);
      setMessage(`Deleted rule ${r.name}.`);
      if (editing?.id === r.id) reset();
      await reload();
    } catch (e) {
      setMessage(messageOf(e));
    }
  };

  const seconds = (label: string, key: 'groupWait' | 'groupInterval' | 'repeatInterval', placeholder: string) => (
    <label>{label} <input data-testid={`rule-${key}`} value={form[key]} onChange={(e) => set({ [key]: e.target.value })} placeholder={placeholder} inputMode="decimal" size={7} /></label>
  );

  return (
    <section aria-label="Rules" data-testid="rules">
      <p className="muted">A rule sends the transitions it lists, of sensors with its tag (none: every sensor), to its channels, grouped: one message per rule for many sensors.</p>
      {error && <p className="error" data-testid="rules-error">{error}</p>}
      {!error && (
        <form className="inline-form" data-testid="rule-form" onSubmit={(e) => { e.preventDefault(); void save(); }}>
          <strong>{editing ? `Edit ${editing.name}` : 'New rule'}</strong>
          <label>Name <input data-testid="rule-name" value={form.name} onChange={(e) => set({ name: e.target.value })} placeholder="site north down" /></label>
          <fieldset>
            <legend>Transitions</legend>
            {TRANSITIONS.map((t) => (
              <label key={t}><input type="checkbox" data-testid={`rule-transition-${t}`} checked={form.transitions.includes(t)}
                onChange={(e) => set({ transitions: toggle(form.transitions, t, e.target.checked) })} /> {t}</label>
            ))}
          </fieldset>
          <label>Tag <input data-testid="rule-tag" value={form.tag} onChange={(e) => set({ tag: e.target.value })} placeholder="every sensor" /></label>
          {channels ? (
            <fieldset>
              <legend>Channels</legend>
              {channels.length === 0 && <span className="muted">Make a channel first.</span>}
              {channels.map((c) => (
                <label key={c.id}><input type="checkbox" data-testid={`rule-channel-${c.name}`} checked={form.channels.includes(c.id)}
                  onChange={(e) => set({ channels: toggle(form.channels, c.id, e.target.checked) })} /> {c.name}</label>
              ))}
            </fieldset>
          ) : (
            <label>Channel ids <input data-testid="rule-channel-ids" value={channelIds} onChange={(e) => setChannelIds(e.target.value)} placeholder="1, 3" /></label>
          )}
          {seconds('Group wait (s)', 'groupWait', '30')}
          {seconds('Group interval (s)', 'groupInterval', '300')}
          {seconds('Repeat (s)', 'repeatInterval', '14400')}
          <button type="submit" data-testid="rule-save">{editing ? 'Save' : 'Create'}</button>
          {editing && <button type="button" onClick={reset}>Cancel</button>}
        </form>
      )}
      {message && <p role="status" data-testid="rule-message">{message}</p>}
      {rules && (rules.length === 0 ? <p className="muted">No rules yet: no transition is sent anywhere.</p> : (
        <table className="data">
          <thead><tr><th>Name</th><th>Transitions</th><th>Tag</th><th>Channels</th><th>Wait / interval / repeat</th><th>Changed</th><th /></tr></thead>
          <tbody>
            {rules.map((r) => (
              <tr key={r.id} data-rule={r.name}>
                <td>{r.name}</td>
                <td>{r.transitions.join(', ')}</td>
                <td>{r.tag ? <code>{r.tag}</code> : <span className="muted">every sensor</span>}</td>
                <td data-testid="rule-channels">{r.channels.map((id) => names.get(id) ?? `#${id}`).join(', ')}</td>
                <td>{duration(r.groupWaitSeconds)} / {duration(r.groupIntervalSeconds)} / {duration(r.repeatIntervalSeconds)}</td>
                <td>{time(r.updatedAt)} by {r.createdBy}</td>
                <td>
                  <button type="button" onClick={() => startEdit(r)}>Edit</button>
                  <button type="button" onClick={() => void remove(r)}>Delete</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </section>
  );
}

import { useState } from 'react';
import { time } from '@/ui/format';
import { createSilence, emptySilenceForm, endSilence, fetchSilences, silenceBody, splitSilences, type Silence, type SilenceForm } from '../api/silences';
import { messageOf, useLoad } from './useLoad';

/** Mute a tag or one sensor for a window (maintenance); end one early. Muted transitions are recorded, never sent. */
export function SilencesSection({ apiBase }: { apiBase: string }) {
  const { value: silences, error, reload } = useLoad((signal) => fetchSilences(apiBase, signal), apiBase);
  const [form, setForm] = useState<SilenceForm>(emptySilenceForm());
  const [message, setMessage] = useState<string | null>(null);
  const set = (patch: Partial<SilenceForm>) => setForm((f) => ({ ...f, ...patch }));

  const save = async () => {
    const built = silenceBody(form);
    if ('error' in built) { setMessage(built.error); return; }
    try {
      const created = await createSilence(apiBase, built.body);
      setMessage(`Silenced ${created.tag ? `tag ${created.tag}` : `sensor ${created.sensorId}`} until ${time(created.endsAt)}.`);
      setForm(emptySilenceForm());
      await reload();
    } catch (e) {
      setMessage(messageOf(e));
    }
  };

  const end = async (s: Silence) => {
    try {
      await endSilence(apiBase, s.id);
      setMessage(`Ended the silence of ${s.tag ?? s.sensorId}.`);
      await reload();
    } catch (e) {
      setMessage(messageOf(e));
    }
  };

  const { current, past } = splitSilences(silences ?? []);
  const rows = (items: Silence[], canEnd: boolean) => items.map((s) => (
    <tr key={s.id} data-silence={s.tag ?? s.sensorId ?? ''}>
      <td>{s.tag ? <>tag <code>{s.tag}</code></> : <>sensor <code>{s.sensorId}</code></>}</td>
      <td>{time(s.startsAt)}</td>
      <td>{time(s.endsAt)}</td>
      <td data-testid="silence-state">{s.active ? 'active' : canEnd ? 'to come' : 'over'}</td>
      <td>{s.comment ?? ''}</td>
      <td>{s.createdBy}</td>
      <td>{canEnd && <button type="button" data-testid="silence-end" onClick={() => void end(s)}>End now</button>}</td>
    </tr>
  ));
  const head = <thead><tr><th>Mutes</th><th>From</th><th>Until</th><th>State</th><th>Comment</th><th>By</th><th /></tr></thead>;

  return (
    <section aria-label="Silences" data-testid="silences">
      {error && <p className="error" data-testid="silences-error">{error}</p>}
      {!error && (
        <form className="inline-form" data-testid="silence-form" onSubmit={(e) => { e.preventDefault(); void save(); }}>
          <strong>New silence</strong>
          <label>Mute{' '}
            <select data-testid="silence-target" value={form.target} onChange={(e) => set({ target: e.target.value as SilenceForm['target'] })}>
              <option value="tag">a tag</option>
              <option value="sensor">a sensor</option>
            </select>
          </label>
          <label>{form.target === 'tag' ? 'Tag' : 'Sensor id'} <input data-testid="silence-value" value={form.value} onChange={(e) => set({ value: e.target.value })} placeholder={form.target === 'tag' ? 'site:north' : 'pump-01'} /></label>
          <label>From <input type="datetime-local" data-testid="silence-starts" value={form.startsAt} onChange={(e) => set({ startsAt: e.target.value })} /></label>
          <label>For (hours) <input data-testid="silence-hours" value={form.hours} onChange={(e) => set({ hours: e.target.value })} inputMode="decimal" size={5} /></label>
          <label>Comment <input data-testid="silence-comment" value={form.comment} onChange={(e) => set({ comment: e.target.value })} placeholder="firmware rollout" /></label>
          <button type="submit" data-testid="silence-save">Silence</button>
        </form>
      )}
      {message && <p role="status" data-testid="silence-message">{message}</p>}
      {silences && <>
        <h3>Active and to come</h3>
        {current.length === 0 ? <p className="muted">None.</p> : <table className="data" data-testid="silences-current">{head}<tbody>{rows(current, true)}</tbody></table>}
        <h3>Past (the last day)</h3>
        {past.length === 0 ? <p className="muted">None.</p> : <table className="data" data-testid="silences-past">{head}<tbody>{rows(past, false)}</tbody></table>}
      </>}
    </section>
  );
}

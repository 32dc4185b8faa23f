import { fetchErrorSentence } from '@/api/fetchError';
import { useCallback, useEffect, useState } from 'react';
import { number, time } from '@/ui/format';
import { clearTagSettings, fetchTags, parseSeconds, saveTagSettings, tagError, type TagList } from '../api/tags';

/** Every tag in use with its liveness settings; operators set or clear a tag's interval and grace. */
export function TagSettingsPage({ apiBase, canEdit }: { apiBase: string; canEdit: boolean }) {
  const [list, setList] = useState<TagList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tag, setTag] = useState('');
  const [interval, setIntervalText] = useState('');
  const [grace, setGrace] = useState('');
  const [message, setMessage] = useState<string | null>(null);

  const load = useCallback((signal?: AbortSignal) => fetchTags(apiBase, signal)
    .then((l) => { setList(l); setError(null); })
    .catch((e: unknown) => { if (!signal?.aborted) setError(fetchErrorSentence(e)); }), [apiBase]);
  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load]);

  const edit = (name: string, i?: number | null, g?: number | null) => {
    setTag(name);
    setIntervalText(i == null ? '' : String(i));
    setGrace(g == null ? '' : String(g));
    setMessage(null);
  };

  const save = async () => {
    const badTag = tagError(tag.trim());
    const i = parseSeconds(interval, 'interval');
    const g = parseSeconds(grace, 'grace');
    const invalid = badTag ?? ('error' in i ? i.error : null) ?? ('error' in g ? g.error : null);
    if (invalid || 'error' in i || 'error' in g) { setMessage(invalid); return; }
    try {
      await saveTagSettings(apiBase, tag.trim(), i.value, g.value);
      setMessage(`Saved ${tag.trim()}: in force on every node in a moment.`);
      await load();
    } catch (e) {
      setMessage(fetchErrorSentence(e));
    }
  };

  const clear = async (name: string) => {
    try {
      await clearTagSettings(apiBase, name);
      setMessage(`Cleared ${name}: its sensors inherit the fleet defaults.`);
      await load();
    } catch (e) {
      setMessage(fetchErrorSentence(e));
    }
  };

  return (
    <article aria-label="Tag settings" data-testid="tag-settings">
      <h2>Tag settings</h2>
      <p className="muted">
        A sensor's expected interval and grace come from its own setting, else the first of its tags (in name order) that sets one,
        else the fleet default{list ? ` (${list.fleetIntervalSeconds} s and ${list.fleetGraceSeconds} s)` : ''}.
      </p>
      {error && <p className="error">{error}</p>}
      {canEdit && <form className="filters" onSubmit={(e) => { e.preventDefault(); void save(); }}>
        <label>Tag <input data-testid="tag-name" value={tag} onChange={(e) => setTag(e.target.value)} placeholder="site:north" /></label>
        <label>Interval (s) <input data-testid="tag-interval" value={interval} onChange={(e) => setIntervalText(e.target.value)} placeholder="inherit" inputMode="decimal" /></label>
        <label>Grace (s) <input data-testid="tag-grace" value={grace} onChange={(e) => setGrace(e.target.value)} placeholder="inherit" inputMode="decimal" /></label>
        <button type="submit" data-testid="tag-save">Save</button>
      </form>}
      {message && <p role="status" data-testid="tag-message">{message}</p>}
      {list && (list.items.length === 0 ? <p className="muted">No tags in use.</p> : (
        <table className="data">
          <thead><tr><th>Tag</th><th>Sensors</th><th>Interval</th><th>Grace</th><th>Changed</th><th /></tr></thead>
          <tbody>
            {list.items.map((t) => (
              <tr key={t.tag} data-tag={t.tag}>
                <td><code>{t.tag}</code></td>
                <td>{number(t.sensors)}</td>
                <td data-testid="tag-row-interval">{t.intervalSeconds != null ? `${t.intervalSeconds} s` : 'fleet'}</td>
                <td>{t.graceSeconds != null ? `${t.graceSeconds} s` : 'fleet'}</td>
                <td>{t.updatedAt ? `${time(t.updatedAt)}${t.updatedBy ? ` by ${t.updatedBy}` : ''}` : '—'}</td>
                <td>
                  {canEdit && <button type="button" onClick={() => edit(t.tag, t.intervalSeconds, t.graceSeconds)}>Edit</button>}
                  {canEdit && (t.intervalSeconds != null || t.graceSeconds != null) && <button type="button" onClick={() => void clear(t.tag)}>Clear</button>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </article>
  );
}

import { useState } from 'react';
import { FetchProblem } from '@/ui/FetchProblem';
import { duration, number, percent } from '@/ui/format';
import { STATE_ORDER, stateColour } from '@/ui/states';
import { usePolling } from '@/ui/usePolling';
import { fetchTagOverview } from '../api/overview';

const PAGE = 20;

/**
 * Each tag (a site, a kind) with its counts per state and its share silent, worst first: an operator
 * of a large fleet thinks in sites before sensors. A row filters the sensor table to its tag.
 */
export function TagOverview({ apiBase, selected, onPick, liveCounts }: { apiBase: string; selected: string; onPick: (tag: string) => void; liveCounts: string }) {
  const [offset, setOffset] = useState(0);
  const { value: page, error, retryAt } = usePolling((signal) => fetchTagOverview(apiBase, offset, PAGE, signal), 30_000, `${apiBase}|${offset}`, liveCounts);
  if (!page && !error) return null;
  return (
    <section aria-label="Tags" className="tag-overview" data-testid="tag-overview">
      <h2>Tags, worst first</h2>
      <FetchProblem error={error} retryAt={retryAt} what="Tags" />
      {page && page.total === 0 && <p className="muted">No sensor carries a tag yet; tag sensors (a site, a kind) to see them grouped here.</p>}
      {page && page.items.length > 0 && (
        <table className="data">
          <thead>
            <tr><th>Tag</th><th>Sensors</th><th title={`Known, not retired, no heartbeat for over ${duration(page.silentAfterSeconds)}`}>Silent</th>
              {STATE_ORDER.map((s) => <th key={s} style={{ color: stateColour(s) }}>{s}</th>)}</tr>
          </thead>
          <tbody>
            {page.items.map((t) => (
              <tr key={t.tag} data-tag={t.tag} className={t.tag === selected ? 'clickable selected' : 'clickable'} tabIndex={0}
                onClick={() => onPick(t.tag === selected ? '' : t.tag)} onKeyDown={(e) => { if (e.key === 'Enter') onPick(t.tag === selected ? '' : t.tag); }}
                title={t.tag === selected ? 'Show every sensor again' : `Show the sensors tagged ${t.tag}`} aria-selected={t.tag === selected}>
                <td><code>{t.tag}</code></td>
                <td>{number(t.sensors)}</td>
                <td data-testid="tag-silent-share"><meter min={0} max={1} value={t.silentShare} /> {percent(t.silentShare, 0)} ({number(t.silent)})</td>
                {STATE_ORDER.map((s) => <td key={s} className={t.counts[s] ? '' : 'muted'}>{number(t.counts[s] ?? 0)}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page && page.total > PAGE && (
        <p className="pager">
          <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>← Worse</button>{' '}
          tags {number(offset + 1)}–{number(Math.min(page.total, offset + PAGE))} of {number(page.total)}{' '}
          <button type="button" disabled={offset + PAGE >= page.total} onClick={() => setOffset(offset + PAGE)}>Better →</button>
        </p>
      )}
    </section>
  );
}

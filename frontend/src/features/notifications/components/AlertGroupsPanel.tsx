import { FetchProblem } from '@/ui/FetchProblem';
import { ago, time } from '@/ui/format';
import { usePolling } from '@/ui/usePolling';
import { countsText, fetchOpenGroups, moreSensors } from '../api/alerts';

/** The fleet page's open alert groups: which rule, how many sensors per state, since when, the first sensors. */
export function AlertGroupsPanel({ apiBase, onOpen }: { apiBase: string; onOpen: (sensorId: string) => void }) {
  const { value: groups, error, retryAt } = usePolling((signal) => fetchOpenGroups(apiBase, signal), 5000, apiBase);

  return (
    <section aria-label="Open alerts" className="alert-groups" data-testid="alert-groups">
      <h2>Open alerts</h2>
      <FetchProblem error={error} retryAt={retryAt} what="Open alerts" />
      {groups && (groups.length === 0 ? <p className="muted" data-testid="alert-groups-empty">No open alert groups.</p> : (
        <table className="data">
          <thead><tr><th>Rule</th><th>Sensors</th><th>Open since</th><th>Last sent</th><th>First sensors</th></tr></thead>
          <tbody>
            {groups.map((g) => (
              <tr key={g.id} data-group-rule={g.ruleName}>
                <td>{g.ruleName}{g.ruleTag ? <> <code>{g.ruleTag}</code></> : null}</td>
                <td data-testid="alert-group-counts">{countsText(g.counts) || '—'}</td>
                <td title={time(g.openedAt)}>{ago(g.openedAt)}</td>
                <td>{g.lastSentAt ? ago(g.lastSentAt) : `not yet (due ${time(g.nextFlushAt)})`}</td>
                <td>
                  {g.sensors.map((id, i) => (
                    <span key={id}>{i > 0 && ', '}<a href={`/sensors/${encodeURIComponent(id)}`} onClick={(e) => { e.preventDefault(); onOpen(id); }}>{id}</a></span>
                  ))}
                  {moreSensors(g) > 0 && <span className="muted"> and {moreSensors(g).toLocaleString('en-US')} more</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </section>
  );
}

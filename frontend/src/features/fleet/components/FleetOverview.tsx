import type { Counts } from '@/live/protocol';
import { FetchProblem } from '@/ui/FetchProblem';
import { duration, number, percent } from '@/ui/format';
import { STATE_ORDER, stateColour } from '@/ui/states';
import { usePolling } from '@/ui/usePolling';
import { fetchFleetSummary } from '../api/summary';

/** Counts per state (live), and the analytics numbers (refreshed every 30 s). */
export function FleetOverview({ apiBase, counts, total, onPickState }: { apiBase: string; counts: Counts; total: number; onPickState: (state: string) => void }) {
  const { value: summary, error, retryAt } = usePolling((signal) => fetchFleetSummary(apiBase, signal), 30_000, apiBase);

  return (
    <section aria-label="Fleet overview" className="overview">
      <div className="tiles">
        <div className="tile" data-testid="count-total"><div className="value">{number(total)}</div><div className="name">sensors</div></div>
        {STATE_ORDER.map((state) => (
          <button key={state} type="button" className="tile state-tile" data-testid={`count-${state}`} style={{ borderTopColor: stateColour(state) }}
            onClick={() => onPickState(state)} title={`Show ${state} sensors`}>
            <div className="value">{number(counts[state] ?? 0)}</div>
            <div className="name" style={{ color: stateColour(state) }}>{state}</div>
          </button>
        ))}
      </div>
      <div className="tiles">
        <div className="tile wide" data-testid="silent-share"><div className="value">{percent(summary?.silentShare)}</div><div className="name">silent &gt; 10 min ({number(summary?.silent)})</div></div>
        <div className="tile wide" data-testid="mean-interval"><div className="value">{summary?.meanIntervalSeconds == null ? '—' : duration(summary.meanIntervalSeconds)}</div><div className="name">mean heartbeat interval (24 h)</div></div>
        <div className="tile wide" data-testid="median-lifespan"><div className="value">{summary?.medianLifespanDays == null ? 'not reached' : `${number(summary.medianLifespanDays, 1)} d`}</div><div className="name">median lifespan (Kaplan–Meier)</div></div>
      </div>
      <FetchProblem error={error} retryAt={retryAt} what="Analytics" />
    </section>
  );
}

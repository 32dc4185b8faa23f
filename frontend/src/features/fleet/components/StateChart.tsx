import { useState } from 'react';
import { FetchProblem } from '@/ui/FetchProblem';
import { StackedAreaChart } from '@/ui/charts';
import { shortTime } from '@/ui/format';
import { STATE_ORDER, stateColour } from '@/ui/states';
import { usePolling } from '@/ui/usePolling';
import { chartPoints, emptyChartReason, fetchStatesOverTime, type ChartWindow } from '../api/overview';

// Healthy at the bottom, trouble stacked on it, the rarely interesting ones on top.
const STACK = STATE_ORDER;

/**
 * Sensors per state over the last 24 hours or 7 days, stacked. Refreshed every minute and, when the
 * live counts change, soon after (at most every 15 s): the last point is always the present.
 */
export function StateChart({ apiBase, liveCounts }: { apiBase: string; liveCounts: string }) {
  const [span, setSpan] = useState<ChartWindow>('24h');
  const { value, error, retryAt } = usePolling((signal) => fetchStatesOverTime(apiBase, span, signal), 60_000, `${apiBase}|${span}`, liveCounts);
  const shown = value?.window === span ? value : null;
  const reason = error && !shown ? 'The stored transitions could not be read.' : emptyChartReason(shown);
  return (
    <section aria-label="States over time" className="states-over-time">
      <div className="span-picker" role="group" aria-label="Chart window">
        <button type="button" aria-pressed={span === '24h'} onClick={() => setSpan('24h')} data-testid="chart-24h">24 hours</button>
        <button type="button" aria-pressed={span === '7d'} onClick={() => setSpan('7d')} data-testid="chart-7d">7 days</button>
      </div>
      <StackedAreaChart title={`Sensors per state, last ${span === '24h' ? '24 hours' : '7 days'}`} points={shown ? chartPoints(shown) : []}
        keys={STACK} colour={stateColour} timeLabel={shortTime} yLabel="sensors" emptyReason={reason ?? ''} />
      <FetchProblem error={error} retryAt={retryAt} what="Chart" />
    </section>
  );
}

import { time } from '@/ui/format';
import { usePolling } from '@/ui/usePolling';
import { fetchMonitorOutages, outageSentence, recentOutages } from '../api/alerts';

/** A banner on the fleet page when FleetHealth itself was down in the last day: when, and what became of the alerts then. */
export function MonitorOutageBanner({ apiBase }: { apiBase: string }) {
  const { value: outages } = usePolling((signal) => fetchMonitorOutages(apiBase, signal), 30000, apiBase);
  const recent = recentOutages(outages ?? []);
  if (recent.length === 0) return null;
  return (
    <section aria-label="Monitor downtime" className="warning monitor-outages" data-testid="monitor-outages">
      {recent.map((o) => <p key={o.id} data-testid="monitor-outage">{outageSentence(o, time)}</p>)}
    </section>
  );
}

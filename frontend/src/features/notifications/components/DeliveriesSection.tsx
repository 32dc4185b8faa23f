import { useEffect, useState } from 'react';
import { time } from '@/ui/format';
import { FetchProblem } from '@/ui/FetchProblem';
import { usePolling } from '@/ui/usePolling';
import { channelsIn, deliveryState, fetchDeliveries } from '../api/deliveries';

/** The delivery log, newest first, refreshed every few seconds; filtered by channel. */
export function DeliveriesSection({ apiBase }: { apiBase: string }) {
  const [channel, setChannel] = useState<number | null>(null);
  const { value: deliveries, error, retryAt } = usePolling((signal) => fetchDeliveries(apiBase, channel, signal), 5000, `${apiBase}|${channel ?? ''}`);
  // The filter's choices: every channel seen unfiltered (the log names them; operators cannot list channels).
  const [known, setKnown] = useState<{ id: number; name: string }[]>([]);
  useEffect(() => {
    if (channel !== null || !deliveries) return;
    setKnown((k) => {
      const added = channelsIn(deliveries).filter((c) => !k.some((x) => x.id === c.id));
      return added.length === 0 ? k : [...k, ...added];
    });
  }, [deliveries, channel]);

  return (
    <section aria-label="Delivery log" data-testid="deliveries">
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label>Channel{' '}
          <select data-testid="deliveries-channel" value={channel ?? ''} onChange={(e) => setChannel(e.target.value === '' ? null : Number(e.target.value))}>
            <option value="">all</option>
            {known.map((c) => <option key={c.id} value={c.id}>{c.name} (#{c.id})</option>)}
          </select>
        </label>
      </form>
      <FetchProblem error={error} retryAt={retryAt} what="Deliveries" testId="deliveries-error" />
      {deliveries && (deliveries.length === 0 ? <p className="muted" data-testid="deliveries-empty">No deliveries yet.</p> : (
        <table className="data">
          <thead><tr><th>Created</th><th>Channel</th><th>Message</th><th>Status</th><th>Attempts</th><th>Last try</th><th>Next try</th><th>Last error</th></tr></thead>
          <tbody>
            {deliveries.map((d) => (
              <tr key={d.id} data-delivery={d.id} data-status={d.status}>
                <td>{time(d.createdAt)}</td>
                <td>{d.channelName}</td>
                <td>{d.type === 'test' ? <em>test</em> : d.summary}</td>
                <td data-testid="delivery-status" className={`delivery-${d.status}`}>{deliveryState(d)}</td>
                <td data-testid="delivery-attempts">{d.attempts}</td>
                <td>{time(d.lastAttemptAt)}</td>
                <td>{time(d.nextAttemptAt)}</td>
                <td className="error">{d.lastError ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </section>
  );
}

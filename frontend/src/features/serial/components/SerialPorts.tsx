import { FetchProblem } from '@/ui/FetchProblem';
import { usePolling } from '@/ui/usePolling';
import { fetchSerialPorts, totalDropped } from '../api/serialPorts';

/** The serial ports this node reads, with their counters; refreshed every few seconds. Hidden when none are configured. */
export function SerialPorts({ apiBase }: { apiBase: string }) {
  const { value: ports, error, retryAt } = usePolling((signal) => fetchSerialPorts(apiBase, signal), 5000, apiBase);

  if (error) return <FetchProblem error={error} retryAt={retryAt} what="Serial ports" />;
  if (!ports || ports.length === 0) return null;
  return (
    <section aria-label="Serial ports" data-testid="serial-ports">
      <h2>Serial ports</h2>
      <table className="data">
        <thead>
          <tr><th>Device</th><th>Baud</th><th>Link</th><th>Lines ok</th><th>Dropped</th><th>Reconnects</th><th>Last error</th></tr>
        </thead>
        <tbody>
          {ports.map((p) => (
            <tr key={p.device}>
              <td><code>{p.device}</code></td>
              <td>{p.baud}</td>
              <td>{p.connected ? 'connected' : 'disconnected'}</td>
              <td data-testid="serial-lines-ok">{p.linesOk}</td>
              <td data-testid="serial-dropped" title={Object.entries(p.dropped).map(([k, v]) => `${k}: ${v}`).join(', ')}>{totalDropped(p)}</td>
              <td>{p.reconnects}</td>
              <td>{p.lastError ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

import { ago, number, percent, time } from '@/ui/format';
import { usePolling } from '@/ui/usePolling';
import { describeEvent, fetchCluster, membersByShare, unownedShards } from '../api/cluster';

/** The cluster as the serving node sees it: members with their shard counts, and recent rebalances. Refreshed every few seconds. */
export function ClusterPanel({ apiBase }: { apiBase: string }) {
  const { value: status, error } = usePolling((signal) => fetchCluster(apiBase, signal), 3000, apiBase);

  if (error) return <p role="status">Cluster: {error}</p>;
  if (!status) return null;
  const unowned = unownedShards(status);
  return (
    <section aria-label="Cluster" data-testid="cluster">
      <h2>Cluster</h2>
      <p>
        {number(status.members.filter((m) => m.state === 'up').length)} of {number(status.members.length)} nodes up, {number(status.shards)} shards
        {unowned > 0 && <span className="warning" data-testid="cluster-unowned"> — {number(unowned)} between owners</span>}
        {status.lastError && <span className="warning"> — this node cannot reach the database: {status.lastError}</span>}
      </p>
      <table>
        <thead>
          <tr><th>Node</th><th>State</th><th>Shards</th><th>Share</th><th>Address</th><th>Started</th><th>Last seen</th></tr>
        </thead>
        <tbody>
          {membersByShare(status).map((m) => (
            <tr key={m.nodeId} data-node={m.nodeId}>
              <td>{m.nodeId}{m.self && ' (this node)'}</td>
              <td data-testid="cluster-state">{m.state}</td>
              <td data-testid="cluster-shards">{number(m.shards)}</td>
              <td><meter min={0} max={1} value={m.share} title={percent(m.share)} /> {percent(m.share, 0)}</td>
              <td><code>{m.address}</code></td>
              <td>{time(m.startedAt)}</td>
              <td>{ago(m.lastSeen)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {status.events.length > 0 && (
        <>
          <h3>Recent rebalances</h3>
          <ul className="cluster-events" data-testid="cluster-events">
            {status.events.slice(0, 10).map((e) => <li key={e.id}>{time(e.at)}: {describeEvent(e)}</li>)}
          </ul>
        </>
      )}
    </section>
  );
}

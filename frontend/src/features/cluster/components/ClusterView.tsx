import { number, percent } from '@/ui/format';
import {
  type ClusterStatus, describeState, membersByShare, shardsInUse, stateLabel, stateTone, unownedShards,
} from '../api/cluster';

/**
 * The Akka.NET cluster's members with their status, roles and shard counts. The shards counted are
 * those in use: Akka starts a shard when one of its sensors is first asked for.
 */
export function ClusterView({ status }: { status: ClusterStatus }) {
  const unowned = unownedShards(status);
  const serving = status.members.filter((m) => stateTone(m.state) === 'ok').length;
  return (
    <section aria-label="Cluster" data-testid="cluster">
      <h2>Cluster</h2>
      <p>
        {number(serving)} of {number(status.members.length)} nodes up,{' '}
        <span data-testid="cluster-in-use">{number(shardsInUse(status))} shards in use (at most {number(status.shards)})</span>
        {unowned > 0 && (
          <span className="warning" data-testid="cluster-unowned">
            {' '}— {number(unowned)} on unreachable or downed nodes: they answer 503 until they move
          </span>
        )}
        {status.lastError && <span className="warning" data-testid="cluster-error"> — {status.lastError}</span>}
      </p>
      <table className="data">
        <thead>
          <tr><th>Node</th><th>State</th><th>Shards</th><th>Share</th><th>Address</th><th>Roles</th></tr>
        </thead>
        <tbody>
          {membersByShare(status).map((m) => (
            <tr key={m.address} data-node={m.nodeId}>
              <td>{m.nodeId}{m.self && ' (this node)'}</td>
              <td>
                <span className={`member-state tone-${stateTone(m.state)}`} data-testid="cluster-state" title={describeState(m.state)}>
                  {stateLabel(m.state)}
                </span>
              </td>
              <td data-testid="cluster-shards">{number(m.shards)}</td>
              <td><meter min={0} max={1} value={m.share} title={percent(m.share)} /> {percent(m.share, 0)}</td>
              <td><code>{m.address}</code></td>
              <td data-testid="cluster-roles">{m.roles.length > 0 ? m.roles.join(', ') : <span className="muted">none</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

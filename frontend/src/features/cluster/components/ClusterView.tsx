import { ago, number, percent, time } from '@/ui/format';
import {
  type ClusterStatus, describeEvent, describeState, isAkka, membersByShare, shardsInUse, stateLabel, stateTone, unownedShards,
} from '../api/cluster';

/**
 * Members with their state and shard counts, and recent rebalances. On the legacy cluster each
 * member shows its start and last renewal; on Akka.NET (no such times) its roles, and the shards
 * counted are those in use (Akka starts a shard when one of its sensors is first asked for).
 */
export function ClusterView({ status }: { status: ClusterStatus }) {
  const akka = isAkka(status);
  const unowned = unownedShards(status);
  const serving = status.members.filter((m) => stateTone(m.state) === 'ok').length;
  return (
    <section aria-label="Cluster" data-testid="cluster" data-engine={akka ? 'akka' : 'legacy'}>
      <h2>Cluster{akka && <span className="muted"> (Akka.NET)</span>}</h2>
      <p>
        {number(serving)} of {number(status.members.length)} nodes up,{' '}
        {akka
          ? <span data-testid="cluster-in-use">{number(shardsInUse(status))} shards in use (at most {number(status.shards)})</span>
          : <>{number(status.shards)} shards</>}
        {unowned > 0 && (
          <span className="warning" data-testid="cluster-unowned">
            {' '}— {number(unowned)} {akka ? 'on unreachable or downed nodes: they answer 503 until they move' : 'between owners'}
          </span>
        )}
        {status.lastError && (
          <span className="warning" data-testid="cluster-error"> — {akka ? status.lastError : `this node cannot reach the database: ${status.lastError}`}</span>
        )}
      </p>
      <table>
        <thead>
          <tr>
            <th>Node</th><th>State</th><th>Shards</th><th>Share</th><th>Address</th>
            {akka ? <th>Roles</th> : <><th>Started</th><th>Last seen</th></>}
          </tr>
        </thead>
        <tbody>
          {membersByShare(status).map((m) => (
            <tr key={m.address || m.nodeId} data-node={m.nodeId}>
              <td>{m.nodeId}{m.self && ' (this node)'}</td>
              <td>
                <span className={`member-state tone-${stateTone(m.state)}`} data-testid="cluster-state" title={describeState(m.state, akka)}>
                  {stateLabel(m.state)}
                </span>
              </td>
              <td data-testid="cluster-shards">{number(m.shards)}</td>
              <td><meter min={0} max={1} value={m.share} title={percent(m.share)} /> {percent(m.share, 0)}</td>
              <td><code>{m.address}</code></td>
              {akka
                ? <td data-testid="cluster-roles">{m.roles && m.roles.length > 0 ? m.roles.join(', ') : <span className="muted">none</span>}</td>
                : <><td>{time(m.startedAt)}</td><td>{ago(m.lastSeen)}</td></>}
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

import type { LiveTransition } from '@/live/protocol';
import { clock, time } from '@/ui/format';
import { StateBadge } from '@/ui/StateBadge';

/** The newest liveness transitions, as they happen. */
export function TransitionFeed({ transitions, dropped, onOpen }: { transitions: LiveTransition[]; dropped: number; onOpen: (id: string) => void }) {
  return (
    <section aria-label="Live transitions" className="feed">
      <h2>Live transitions</h2>
      {transitions.length === 0 ? <p className="muted">No transitions since this page opened.</p> : (
        <ol data-testid="transition-feed">
          {transitions.slice(0, 50).map((t) => (
            <li key={t.id}>
              <time dateTime={t.at} title={time(t.at)}>{clock(t.at)}</time>{' '}
              <a href={`/sensors/${encodeURIComponent(t.sensorId)}`} onClick={(e) => { e.preventDefault(); onOpen(t.sensorId); }}>{t.sensorId}</a>{' '}
              <StateBadge state={t.from} /> → <StateBadge state={t.to} />
              {t.reason ? <span className="muted"> {t.reason}</span> : null}
            </li>
          ))}
        </ol>
      )}
      {dropped > 0 && <p className="muted">{dropped} more transitions arrived too fast to list.</p>}
    </section>
  );
}

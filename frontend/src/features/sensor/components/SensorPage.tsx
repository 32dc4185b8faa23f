import { fetchErrorSentence } from '@/api/fetchError';
import { useEffect, useState } from 'react';
import type { LiveTransition, SensorView } from '@/live/protocol';
import { BarChart, Timeline } from '@/ui/charts';
import { DownloadCsvButton } from '@/ui/DownloadCsvButton';
import { ago, duration, number, time } from '@/ui/format';
import { robustHistogram } from '@/ui/histogram';
import { StateBadge } from '@/ui/StateBadge';
import { stateColour } from '@/ui/states';
import { commandFor, sendSensorCommand } from '../api/sensorCommands';
import { describeSetting, downtimeEpisodes, fetchHeartbeats, fetchHistory, HISTORY_DAYS, type HeartbeatPoint, type StateChange } from '../api/sensorData';

type Span = 'hour' | 'day';

/**
 * One sensor: live detail (watched over the websocket), heartbeat timeline, interval histogram,
 * history. With `canOperate`, the retire / reactivate control (hidden for viewers; the server
 * refuses them anyway).
 */
export function SensorPage({ apiBase, sensorId, sensor, liveTransitions, canOperate, onBack }: {
  apiBase: string; sensorId: string; sensor: SensorView | null; liveTransitions: LiveTransition[]; canOperate: boolean; onBack: () => void;
}) {
  const [span, setSpan] = useState<Span>('hour');
  const [beats, setBeats] = useState<HeartbeatPoint[]>([]);
  const [history, setHistory] = useState<StateChange[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const newestTransition = liveTransitions.find((t) => t.sensorId === sensorId)?.id;
  const lastSeen = sensor?.lastSeen;

  useEffect(() => {
    const controller = new AbortController();
    const since = new Date(Date.now() - (span === 'hour' ? 3600_000 : 86400_000));
    Promise.all([fetchHeartbeats(apiBase, sensorId, since, controller.signal), fetchHistory(apiBase, sensorId, controller.signal)])
      .then(([b, h]) => { setBeats(b.items); setHistory(h.items); setNow(Date.now()); setError(null); })
      .catch((e: unknown) => { if (!controller.signal.aborted) setError(fetchErrorSentence(e)); });
    return () => controller.abort();
    // Reload when the sensor beats or changes state (the watch tells us), not on a timer.
  }, [apiBase, sensorId, span, lastSeen, newestTransition]);

  const from = now - (span === 'hour' ? 3600_000 : 86400_000);
  const episodes = downtimeEpisodes(history, now);
  const sensorPath = `/api/v1/sensors/${encodeURIComponent(sensorId)}`;
  const intervals = beats.map((b) => b.intervalSeconds).filter((v): v is number => typeof v === 'number');

  return (
    <article className="sensor-page" aria-label={`Sensor ${sensorId}`}>
      <p><a href="/" onClick={(e) => { e.preventDefault(); onBack(); }}>← Fleet</a></p>
      <h2>Sensor <code>{sensorId}</code> {sensor && <StateBadge state={sensor.status} />}</h2>
      {!sensor ? <p className="muted" data-testid="sensor-unknown">Waiting for this sensor’s detail (unknown sensors stay empty until they beat).</p> : (
        <dl className="settings" data-testid="sensor-settings">
          <dt>State since</dt><dd>{time(sensor.statusSince)} ({ago(sensor.statusSince, now)})</dd>
          <dt>Last seen</dt><dd>{time(sensor.lastSeen)} ({ago(sensor.lastSeen, now)})</dd>
          <dt>First seen</dt><dd>{time(sensor.firstSeen)}</dd>
          <dt>Heartbeats</dt><dd data-testid="sensor-count">{number(sensor.heartbeatCount)}</dd>
          <dt>Expected interval</dt><dd data-testid="sensor-effective-interval">{sensor.effective ? describeSetting(sensor.effective.intervalSeconds, sensor.effective.intervalFrom) : '—'}</dd>
          <dt>Grace</dt><dd data-testid="sensor-effective-grace">{sensor.effective ? describeSetting(sensor.effective.graceSeconds, sensor.effective.graceFrom) : '—'}</dd>
          <dt>Mean interval</dt><dd>{sensor.meanIntervalSeconds > 0 ? `${number(sensor.meanIntervalSeconds, 1)} s ± ${number(sensor.intervalStdDevSeconds, 1)}` : '—'}</dd>
          <dt>Lost beats</dt><dd>{number(sensor.lostBeats)}</dd>
          <dt>Tags</dt><dd>{sensor.tags.length ? sensor.tags.join(', ') : 'none'}</dd>
          {sensor.retiredAt && <><dt>Retired</dt><dd>{time(sensor.retiredAt)}</dd></>}
        </dl>
      )}
      {sensor && canOperate && <SensorControls apiBase={apiBase} sensorId={sensorId} status={sensor.status} />}
      {error && <p className="error">{error}</p>}
      <div className="span-picker" role="group" aria-label="Time span">
        <button type="button" aria-pressed={span === 'hour'} onClick={() => setSpan('hour')}>Last hour</button>
        <button type="button" aria-pressed={span === 'day'} onClick={() => setSpan('day')}>Last day</button>
        <DownloadCsvButton apiBase={apiBase} path={`${sensorPath}/heartbeats`} params={{ since: new Date(from).toISOString() }} label={`Download heartbeats, last ${span} (CSV)`} testId="download-heartbeats" />
      </div>
      <Timeline title={`Heartbeats, last ${span}`} times={beats.map((b) => Date.parse(b.receivedAt))} from={from} to={now}
        bands={episodes.map((e) => ({ from: e.from, to: e.to, colour: stateColour(e.state), label: `${e.state}, ${duration((e.to - e.from) / 1000)}` }))} />
      <div className="sensor-columns">
      <BarChart title={`Interval between heartbeats, last ${span}`} bins={robustHistogram(intervals, 20)} xLabel="seconds" yLabel="heartbeats"
        emptyReason={beats.length === 0 ? `No heartbeat in the last ${span}.` : `Only one heartbeat in the last ${span}: an interval needs two.`} />
      <section aria-label="State history">
        <h3>State history ({HISTORY_DAYS} days)</h3>
        <p><DownloadCsvButton apiBase={apiBase} path={`${sensorPath}/history`} params={{ since: new Date(now - HISTORY_DAYS * 86400_000).toISOString() }} label="Download history (CSV)" testId="download-history" /></p>
        {history.length === 0 ? <p className="muted">No transitions recorded.</p> : (
          <table className="data history">
            <thead><tr><th>When</th><th>From</th><th>To</th><th>Reason</th></tr></thead>
            <tbody>
              {[...history].reverse().slice(0, 200).map((c) => (
                <tr key={c.id}><td>{time(c.at)}</td><td><StateBadge state={c.from} /></td><td><StateBadge state={c.to} /></td><td>{c.reason}</td></tr>
              ))}
            </tbody>
          </table>
        )}
        <h3>Downtime episodes</h3>
        {episodes.length === 0 ? <p className="muted">None.</p> : (
          <ul>{episodes.slice().reverse().map((e) => (
            <li key={e.from}><StateBadge state={e.state} /> {time(e.from)}, {duration((e.to - e.from) / 1000)}{e.ongoing ? ' (ongoing)' : ''}</li>
          ))}</ul>
        )}
      </section>
      </div>
    </article>
  );
}

/** The operator's control: one button, for the command this state allows; the watched view shows the result. */
function SensorControls({ apiBase, sensorId, status }: { apiBase: string; sensorId: string; status: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const command = commandFor(status);
  const run = () => {
    setBusy(true);
    sendSensorCommand(apiBase, sensorId, command)
      .then(() => setError(null))
      .catch((e: unknown) => setError(fetchErrorSentence(e)))
      .finally(() => setBusy(false));
  };
  return (
    <div className="sensor-controls" data-testid="sensor-controls">
      <button type="button" disabled={busy} onClick={run} data-testid={`sensor-${command}`}>{command === 'retire' ? 'Retire sensor' : 'Reactivate sensor'}</button>
      {error && <span className="error" role="alert">{error}</span>}
    </div>
  );
}

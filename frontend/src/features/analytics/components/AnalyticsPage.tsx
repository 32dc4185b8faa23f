import { fetchErrorSentence } from '@/api/fetchError';
import { useEffect, useState } from 'react';
import { BarChart, LineChart } from '@/ui/charts';
import { DownloadCsvButton } from '@/ui/DownloadCsvButton';
import { duration, number, percent } from '@/ui/format';
import { robustHistogram } from '@/ui/histogram';
import { fetchQuery, fleetRow, num, perSensor, survivalCurve, type Row } from '../api/analytics';

const QUERIES = ['lifespan', 'intervals', 'availability', 'silent_share', 'flapping', 'lost_beats', 'downtime_episodes'] as const;
type Results = Partial<Record<(typeof QUERIES)[number], Row[]>>;

/** The named analytics queries (db/queries), charted. Default windows: the last day. */
export function AnalyticsPage({ apiBase, onOpen }: { apiBase: string; onOpen: (id: string) => void }) {
  const [results, setResults] = useState<Results>({});
  const [errors, setErrors] = useState<string[]>([]);
  useEffect(() => {
    const controller = new AbortController();
    for (const name of QUERIES) {
      fetchQuery(apiBase, name, controller.signal)
        .then((rows) => setResults((r) => ({ ...r, [name]: rows })))
        .catch((e: unknown) => { if (!controller.signal.aborted) setErrors((list) => [...list, `${name}: ${fetchErrorSentence(e)}`]); });
    }
    return () => controller.abort();
  }, [apiBase]);

  const lifespan = results.lifespan ?? [];
  const intervals = results.intervals ?? [];
  const fleetIntervals = fleetRow(intervals);
  const availability = perSensor(results.availability ?? [], 'availability_pct');
  const lost = fleetRow(results.lost_beats ?? []);
  const silent = (results.silent_share ?? []).find((r) => r.tag === null);
  const episodes = results.downtime_episodes ?? [];

  return (
    <article className="analytics" aria-label="Analytics">
      <h2>Analytics</h2>
      {errors.map((e) => <p key={e} className="error">{e}</p>)}
      <p className="downloads" data-testid="analytics-downloads">Download as CSV:{' '}
        {QUERIES.map((name) => <DownloadCsvButton key={name} apiBase={apiBase} path={`/api/v1/analytics/${name}`} label={name} testId={`download-${name}`} />)}
      </p>
      <div className="tiles">
        <div className="tile wide"><div className="value">{percent(num(silent?.silent_share))}</div><div className="name">silent &gt; 10 min</div></div>
        <div className="tile wide"><div className="value">{num(lifespan[0]?.median_days) == null ? 'not reached' : `${number(num(lifespan[0]?.median_days), 1)} d`}</div><div className="name">median lifespan</div></div>
        <div className="tile wide" data-testid="restricted-mean"><div className="value">{num(lifespan[0]?.restricted_mean_days) == null ? '—' : `${number(num(lifespan[0]?.restricted_mean_days), 1)} d (${number(num(lifespan[0]?.restricted_mean_low_days), 1)}–${number(num(lifespan[0]?.restricted_mean_high_days), 1)})`}</div><div className="name">average lifespan to {number(num(lifespan[0]?.horizon_days), 0)} d (restricted mean, 95% interval)</div></div>
        <div className="tile wide"><div className="value">{fleetIntervals ? `${duration(num(fleetIntervals.mean_seconds) ?? NaN)} / ${duration(num(fleetIntervals.median_seconds) ?? NaN)} / ${duration(num(fleetIntervals.p95_seconds) ?? NaN)}` : '—'}</div><div className="name">interval mean / median / p95 (24 h)</div></div>
        <div className="tile wide"><div className="value">{percent(num(lost?.lost_rate), 2)}</div><div className="name">lost beats (24 h)</div></div>
        <div className="tile wide"><div className="value">{number(episodes.length)}</div><div className="name">downtime episodes (24 h)</div></div>
      </div>
      <div className="chart-grid">
        <LineChart title="Survival (Kaplan–Meier): share of sensors still alive" points={survivalCurve(lifespan)} step xLabel="days since first heartbeat" yLabel="surviving" yDomain={[0, 1]}
          emptyReason={results.lifespan ? 'No sensor’s life has ended yet (none died or was retired): every sensor still survives.' : 'Loading…'} />
        <BarChart title="Mean heartbeat interval per sensor (24 h)" bins={robustHistogram(perSensor(intervals, 'mean_seconds'), 20)} xLabel="seconds" yLabel="sensors"
          emptyReason={results.intervals ? 'No sensor beat twice in the last 24 hours, so there is no interval to count.' : 'Loading…'} />
        <BarChart title="Availability per sensor (24 h)" bins={robustHistogram(availability, 20)} xLabel="% of observed time healthy" yLabel="sensors"
          emptyReason={results.availability ? 'No sensor was observed in the last 24 hours.' : 'Loading…'} />
      </div>
      <section aria-label="Flapping">
        <h3>Most transitions (24 h)</h3>
        <table className="data">
          <thead><tr><th>Sensor</th><th>Transitions</th><th>Recoveries</th></tr></thead>
          <tbody>
            {(results.flapping ?? []).map((r) => (
              <tr key={String(r.sensor_id)}>
                <td><a href={`/sensors/${encodeURIComponent(String(r.sensor_id))}`} onClick={(e) => { e.preventDefault(); onOpen(String(r.sensor_id)); }}>{String(r.sensor_id)}</a></td>
                <td>{number(num(r.transitions))}</td><td>{number(num(r.recoveries))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </article>
  );
}

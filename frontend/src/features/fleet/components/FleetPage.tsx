import { useEffect, useState } from 'react';
import type { FleetState } from '@/live/fleetStore';
import { normalizeFilter, STATES, type LiveFilter } from '@/live/protocol';
import { DownloadCsvButton } from '@/ui/DownloadCsvButton';
import { number } from '@/ui/format';
import { FleetOverview } from './FleetOverview';
import { StateChart } from './StateChart';
import { TagOverview } from './TagOverview';
import { SensorTable } from './SensorTable';
import { TransitionFeed } from './TransitionFeed';

/** The fleet page: overview, live transitions, and the sensor table with its filters. */
export function FleetPage({ apiBase, fleet, filter, onFilter, onOpen }: {
  apiBase: string; fleet: FleetState; filter: LiveFilter; onFilter: (filter: LiveFilter) => void; onOpen: (id: string) => void;
}) {
  const [text, setText] = useState(filter.text ?? '');
  const [tag, setTag] = useState(filter.tag ?? '');
  // Typing filters the rows held at once; the server subscription follows after a pause.
  useEffect(() => {
    const timer = window.setTimeout(() => onFilter(normalizeFilter({ ...filter, text, tag })), 300);
    return () => window.clearTimeout(timer);

  }, [text, tag]);
  const local = normalizeFilter({ ...filter, text, tag });
  // The chart and the tag overview refetch soon after the live counts change.
  const liveCounts = JSON.stringify(fleet.counts);
  const pickTag = (picked: string) => { setTag(picked); onFilter(normalizeFilter({ ...local, tag: picked })); };

  return (
    <>
      <FleetOverview apiBase={apiBase} counts={fleet.counts} total={fleet.total} onPickState={(state) => onFilter({ ...local, state })} />
      <div className="glance">
        <StateChart apiBase={apiBase} liveCounts={liveCounts} />
        <TagOverview apiBase={apiBase} selected={local.tag ?? ''} onPick={pickTag} liveCounts={liveCounts} />
      </div>
      <div className="columns">
        <section aria-label="Sensor table" className="sensors">
          <h2>Sensors</h2>
          <form className="filters" onSubmit={(e) => e.preventDefault()}>
            <label>State{' '}
              <select value={filter.state ?? ''} onChange={(e) => onFilter(normalizeFilter({ ...local, state: e.target.value }))} data-testid="filter-state">
                <option value="">any</option>
                {STATES.map((s) => <option key={s} value={s}>{s}</option>)}
              </select>
            </label>
            <label>Tag <input value={tag} onChange={(e) => setTag(e.target.value)} placeholder="site:north" data-testid="filter-tag" /></label>
            <label>Id contains <input value={text} onChange={(e) => setText(e.target.value)} placeholder="pump-" data-testid="filter-text" /></label>
            <DownloadCsvButton apiBase={apiBase} path="/api/v1/sensors" params={{ state: local.state, tag: local.tag, q: local.text }} testId="download-sensors" />
          </form>
          {fleet.truncated && (
            <p className="warning">Showing the first {number(fleet.limit)} of {number(fleet.matched)} matching sensors (in id order); narrow the filter to see the rest.</p>
          )}
          <SensorTable fleet={fleet} filter={local} onOpen={onOpen} />
        </section>
        <TransitionFeed transitions={fleet.transitions} dropped={fleet.transitionsDropped} onOpen={onOpen} />
      </div>
    </>
  );
}

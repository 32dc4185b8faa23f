import { useCallback, useEffect, useState } from 'react';
import { env } from '@/config/env';
import { ServerStatus } from '@/features/health/components/ServerStatus';
import { AnalyticsPage } from '@/features/analytics/components/AnalyticsPage';
import { ClusterPanel } from '@/features/cluster/components/ClusterPanel';
import { FleetPage } from '@/features/fleet/components/FleetPage';
import { SensorPage } from '@/features/sensor/components/SensorPage';
import { SerialPorts } from '@/features/serial/components/SerialPorts';
import type { LiveFilter } from '@/live/protocol';
import { useLive } from '@/live/useLive';
import { ConnectionIndicator } from './ConnectionIndicator';
import { navigate, useRoute } from './router';

export function App() {
  const route = useRoute();
  const { fleet, status, subscribe, watch } = useLive(env.apiBase);
  const [filter, setFilter] = useState<LiveFilter>({});
  const open = useCallback((id: string) => navigate(`/sensors/${encodeURIComponent(id)}`), []);
  const changeFilter = useCallback((next: LiveFilter) => { setFilter(next); subscribe(next); }, [subscribe]);
  const watchedId = route.page === 'sensor' ? route.sensorId : null;
  useEffect(() => { watch(watchedId); }, [watchedId, watch]);

  return (
    <div className="app">
      <header>
        <h1><a href="/" onClick={(e) => { e.preventDefault(); navigate('/'); }}>FleetHealth</a></h1>
        <nav>
          <a href="/" aria-current={route.page === 'fleet' ? 'page' : undefined} onClick={(e) => { e.preventDefault(); navigate('/'); }}>Fleet</a>
          <a href="/analytics" aria-current={route.page === 'analytics' ? 'page' : undefined} onClick={(e) => { e.preventDefault(); navigate('/analytics'); }}>Analytics</a>
        </nav>
        <ConnectionIndicator status={status} feed={fleet.feed} synced={fleet.synced} />
      </header>
      <main>
        {route.page === 'fleet' && <FleetPage apiBase={env.apiBase} fleet={fleet} filter={filter} onFilter={changeFilter} onOpen={open} />}
        {route.page === 'fleet' && <SerialPorts apiBase={env.apiBase} />}
        {route.page === 'fleet' && <ClusterPanel apiBase={env.apiBase} />}
        {route.page === 'sensor' && (
          <SensorPage key={route.sensorId} apiBase={env.apiBase} sensorId={route.sensorId} sensor={fleet.watchedId === route.sensorId ? fleet.watched : null}
            liveTransitions={fleet.transitions} onBack={() => navigate('/')} />
        )}
        {route.page === 'analytics' && <AnalyticsPage apiBase={env.apiBase} onOpen={open} />}
        {route.page === 'not-found' && <p>No page at <code>{route.path}</code>. <a href="/">Back to the fleet</a>.</p>}
      </main>
      <footer><ServerStatus apiBase={env.apiBase} /></footer>
    </div>
  );
}

import { useCallback, useEffect, useState } from 'react';
import { env } from '@/config/env';
import { AdminPage } from '@/features/admin/components/AdminPage';
import { AnalyticsPage } from '@/features/analytics/components/AnalyticsPage';
import { checkSession, canOperate, isAdmin, type CurrentOperator } from '@/features/auth/api/session';
import { ClusterPanel } from '@/features/cluster/components/ClusterPanel';
import { UserMenu } from '@/features/auth/components/UserMenu';
import { FleetPage } from '@/features/fleet/components/FleetPage';
import { AlertGroupsPanel } from '@/features/notifications/components/AlertGroupsPanel';
import { MonitorOutageBanner } from '@/features/notifications/components/MonitorOutageBanner';
import { NotificationsPage } from '@/features/notifications/components/NotificationsPage';
import { ServerStatus } from '@/features/health/components/ServerStatus';
import { SensorPage } from '@/features/sensor/components/SensorPage';
import { SerialPorts } from '@/features/serial/components/SerialPorts';
import { TagSettingsPage } from '@/features/tags/components/TagSettingsPage';
import type { LiveFilter } from '@/live/protocol';
import { useLive } from '@/live/useLive';
import { useStaleSince } from '@/live/useStaleSince';
import { clock } from '@/ui/format';
import { ConnectionIndicator } from './ConnectionIndicator';
import { navigate, useRoute, type Route } from './router';

/** The signed-in dashboard: header (pages, who is signed in, connection), the page, the server's status. */
export function Dashboard({ operator, onSignOut }: { operator: CurrentOperator; onSignOut: () => void }) {
  const route = useRoute();
  const { fleet, status, subscribe, watch } = useLive(env.apiBase);
  const [filter, setFilter] = useState<LiveFilter>({});
  const open = useCallback((id: string) => navigate(`/sensors/${encodeURIComponent(id)}`), []);
  const changeFilter = useCallback((next: LiveFilter) => { setFilter(next); subscribe(next); }, [subscribe]);
  const staleSince = useStaleSince(status, fleet.feed, fleet.synced);
  const watchedId = route.page === 'sensor' ? route.sensorId : null;
  useEffect(() => { watch(watchedId); }, [watchedId, watch]);
  // A websocket refused at the upgrade only shows as a close: ask whether the session ended (a 401 signs out).
  useEffect(() => { if (status.kind === 'reconnecting') checkSession(env.apiBase).catch(() => { /* the 401 event or the indicator says it */ }); }, [status.kind]);

  return (
    <div className="app">
      <header>
        <h1><a href="/" onClick={(e) => { e.preventDefault(); navigate('/'); }}>FleetHealth</a></h1>
        <nav>
          <NavLink route={route} page="fleet" path="/" label="Fleet" />
          <NavLink route={route} page="analytics" path="/analytics" label="Analytics" />
          <NavLink route={route} page="tags" path="/tags" label="Tags" />
          {canOperate(operator.role) && <NavLink route={route} page="alerts" path="/alerts" label="Alerts" />}
          {isAdmin(operator.role) && <NavLink route={route} page="admin" path="/admin" label="Admin" />}
        </nav>
        <ConnectionIndicator status={status} feed={fleet.feed} synced={fleet.synced} />
        <UserMenu apiBase={env.apiBase} operator={operator} onSignOut={onSignOut} />
      </header>
      {staleSince !== null && (
        <p className="stale-banner" role="alert" data-testid="stale-banner">
          Live updates are down: what this page shows is stale since {clock(staleSince)}. It reconnects by itself and catches up when it is back.
        </p>
      )}
      <main className={staleSince !== null ? 'stale' : undefined} data-stale={staleSince !== null ? 'true' : undefined}>
        {route.page === 'fleet' && <MonitorOutageBanner apiBase={env.apiBase} />}
        {route.page === 'fleet' && <FleetPage apiBase={env.apiBase} fleet={fleet} filter={filter} onFilter={changeFilter} onOpen={open} />}
        {route.page === 'fleet' && <AlertGroupsPanel apiBase={env.apiBase} onOpen={open} />}
        {route.page === 'fleet' && <ClusterPanel apiBase={env.apiBase} />}
        {route.page === 'fleet' && <SerialPorts apiBase={env.apiBase} />}
        {route.page === 'sensor' && (
          <SensorPage key={route.sensorId} apiBase={env.apiBase} sensorId={route.sensorId} sensor={fleet.watchedId === route.sensorId ? fleet.watched : null}
            liveTransitions={fleet.transitions} canOperate={canOperate(operator.role)} onBack={() => navigate('/')} />
        )}
        {route.page === 'analytics' && <AnalyticsPage apiBase={env.apiBase} onOpen={open} />}
        {route.page === 'tags' && <TagSettingsPage apiBase={env.apiBase} canEdit={canOperate(operator.role)} />}
        {route.page === 'alerts' && (canOperate(operator.role)
          ? <NotificationsPage apiBase={env.apiBase} section={route.section} onSection={(s) => navigate(`/alerts/${s}`)} admin={isAdmin(operator.role)} />
          : <p>Only operators and admins see the alert rules, silences and delivery log.</p>)}
        {route.page === 'admin' && (isAdmin(operator.role) ? <AdminPage apiBase={env.apiBase} /> : <p>Only admins manage keys and operators.</p>)}
        {route.page === 'not-found' && <p>No page at <code>{route.path}</code>. <a href="/">Back to the fleet</a>.</p>}
      </main>
      <footer><ServerStatus apiBase={env.apiBase} /></footer>
    </div>
  );
}

function NavLink({ route, page, path, label }: { route: Route; page: Route['page']; path: string; label: string }) {
  return <a href={path} aria-current={route.page === page ? 'page' : undefined} onClick={(e) => { e.preventDefault(); navigate(path); }}>{label}</a>;
}

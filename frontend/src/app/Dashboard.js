import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
import { useCallback, useEffect, useState } from 'react';
import { env } from '@/config/env';
import { AdminPage } from '@/features/admin/components/AdminPage';
import { AnalyticsPage } from '@/features/analytics/components/AnalyticsPage';
import { checkSession, canOperate, isAdmin } from '@/features/auth/api/session';
import { ClusterPanel } from '@/features/cluster/components/ClusterPanel';
import { UserMenu } from '@/features/auth/components/UserMenu';
import { FleetPage } from '@/features/fleet/components/FleetPage';
import { ServerStatus } from '@/features/health/components/ServerStatus';
import { SensorPage } from '@/features/sensor/components/SensorPage';
import { SerialPorts } from '@/features/serial/components/SerialPorts';
import { TagSettingsPage } from '@/features/tags/components/TagSettingsPage';
import { useLive } from '@/live/useLive';
import { ConnectionIndicator } from './ConnectionIndicator';
import { navigate, useRoute } from './router';
/** The signed-in dashboard: header (pages, who is signed in, connection), the page, the server's status. */
export function Dashboard({ operator, onSignOut }) {
    const route = useRoute();
    const { fleet, status, subscribe, watch } = useLive(env.apiBase);
    const [filter, setFilter] = useState({});
    const open = useCallback((id) => navigate(`/sensors/${encodeURIComponent(id)}`), []);
    const changeFilter = useCallback((next) => { setFilter(next); subscribe(next); }, [subscribe]);
    const watchedId = route.page === 'sensor' ? route.sensorId : null;
    useEffect(() => { watch(watchedId); }, [watchedId, watch]);
    // A websocket refused at the upgrade only shows as a close: ask whether the session ended (a 401 signs out).
    useEffect(() => { if (status.kind === 'reconnecting')
        checkSession(env.apiBase).catch(() => { }); }, [status.kind]);
    return (_jsxs("div", { className: "app", children: [_jsxs("header", { children: [_jsx("h1", { children: _jsx("a", { href: "/", onClick: (e) => { e.preventDefault(); navigate('/'); }, children: "FleetHealth" }) }), _jsxs("nav", { children: [_jsx(NavLink, { route: route, page: "fleet", path: "/", label: "Fleet" }), _jsx(NavLink, { route: route, page: "analytics", path: "/analytics", label: "Analytics" }), _jsx(NavLink, { route: route, page: "tags", path: "/tags", label: "Tags" }), isAdmin(operator.role) && _jsx(NavLink, { route: route, page: "admin", path: "/admin", label: "Admin" })] }), _jsx(ConnectionIndicator, { status: status, feed: fleet.feed, synced: fleet.synced }), _jsx(UserMenu, { apiBase: env.apiBase, operator: operator, onSignOut: onSignOut })] }), _jsxs("main", { children: [route.page === 'fleet' && _jsx(FleetPage, { apiBase: env.apiBase, fleet: fleet, filter: filter, onFilter: changeFilter, onOpen: open }), route.page === 'fleet' && _jsx(ClusterPanel, { apiBase: env.apiBase }), route.page === 'fleet' && _jsx(SerialPorts, { apiBase: env.apiBase }), route.page === 'sensor' && (_jsx(SensorPage, { apiBase: env.apiBase, sensorId: route.sensorId, sensor: fleet.watchedId === route.sensorId ? fleet.watched : null, liveTransitions: fleet.transitions, canOperate: canOperate(operator.role), onBack: () => navigate('/') }, route.sensorId)), route.page === 'analytics' && _jsx(AnalyticsPage, { apiBase: env.apiBase, onOpen: open }), route.page === 'tags' && _jsx(TagSettingsPage, { apiBase: env.apiBase, canEdit: canOperate(operator.role) }), route.page === 'admin' && (isAdmin(operator.role) ? _jsx(AdminPage, { apiBase: env.apiBase }) : _jsx("p", { children: "Only admins manage keys and operators." })), route.page === 'not-found' && _jsxs("p", { children: ["No page at ", _jsx("code", { children: route.path }), ". ", _jsx("a", { href: "/", children: "Back to the fleet" }), "."] })] }), _jsx("footer", { children: _jsx(ServerStatus, { apiBase: env.apiBase }) })] }));
}
function NavLink({ route, page, path, label }) {
    return _jsx("a", { href: path, "aria-current": route.page === page ? 'page' : undefined, onClick: (e) => { e.preventDefault(); navigate(path); }, children: label });
}

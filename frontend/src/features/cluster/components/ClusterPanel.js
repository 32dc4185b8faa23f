import { jsxs as _jsxs, jsx as _jsx } from "react/jsx-runtime";
import { usePolling } from '@/ui/usePolling';
import { fetchCluster } from '../api/cluster';
import { ClusterView } from './ClusterView';
/** The cluster as the serving node sees it, refreshed every few seconds. */
export function ClusterPanel({ apiBase }) {
    const { value: status, error } = usePolling((signal) => fetchCluster(apiBase, signal), 3000, apiBase);
    if (error)
        return _jsxs("p", { role: "status", children: ["Cluster: ", error] });
    if (!status)
        return null;
    return _jsx(ClusterView, { status: status });
}

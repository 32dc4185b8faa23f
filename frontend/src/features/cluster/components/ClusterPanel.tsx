import { FetchProblem } from '@/ui/FetchProblem';
import { usePolling } from '@/ui/usePolling';
import { fetchCluster } from '../api/cluster';
import { ClusterView } from './ClusterView';

/** The cluster as the serving node sees it, refreshed every few seconds. */
export function ClusterPanel({ apiBase }: { apiBase: string }) {
  const { value: status, error, retryAt } = usePolling((signal) => fetchCluster(apiBase, signal), 3000, apiBase);

  if (error) return <FetchProblem error={error} retryAt={retryAt} what="Cluster" />;
  if (!status) return null;
  return <ClusterView status={status} />;
}

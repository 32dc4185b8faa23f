import { FetchProblem } from '@/ui/FetchProblem';
import { usePolling } from '@/ui/usePolling';
import { fetchReadiness } from '../api/readiness';

/** Shows whether the server and its database are ready; polls every few seconds. */
export function ServerStatus({ apiBase }: { apiBase: string }) {
  const { value: readiness, error, retryAt } = usePolling((signal) => fetchReadiness(apiBase, signal), 5000, apiBase);

  if (error) return <FetchProblem error={error} retryAt={retryAt} what="Server" testId="server-problem" />;
  if (!readiness) return <p role="status">Connecting…</p>;
  return <p role="status" data-status={readiness.status}>Server: {readiness.status} (schema v{readiness.schemaVersion ?? '?'})</p>;
}

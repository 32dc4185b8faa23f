import { useEffect, useState } from 'react';
import { fetchReadiness, type Readiness } from '../api/readiness';

/** Shows whether the server and its database are ready; polls every few seconds. */
export function ServerStatus({ apiBase }: { apiBase: string }) {
  const [readiness, setReadiness] = useState<Readiness | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    const poll = () =>
      fetchReadiness(apiBase, controller.signal)
        .then((r) => { setReadiness(r); setError(null); })
        .catch((e: unknown) => { if (!controller.signal.aborted) setError(String(e)); });
    void poll();
    const timer = setInterval(poll, 5000);
    return () => { controller.abort(); clearInterval(timer); };
  }, [apiBase]);

  if (error) return <p role="status">Server unreachable: {error}</p>;
  if (!readiness) return <p role="status">Connecting…</p>;
  return <p role="status" data-status={readiness.status}>Server: {readiness.status} (schema v{readiness.schemaVersion ?? '?'})</p>;
}

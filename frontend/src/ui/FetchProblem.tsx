import { useEffect, useState } from 'react';
import { fetchErrorSentence } from '@/api/fetchError';

/**
 * A failed request as a sentence, with the countdown to the next attempt when one is planned
 * ("Cluster: The server is unreachable; retrying in 4 s"), ticking every second.
 */
export function FetchProblem({ error, retryAt = null, what, testId }: { error: unknown; retryAt?: number | null; what?: string; testId?: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (retryAt === null) return undefined;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [retryAt]);
  if (error === null || error === undefined) return null;
  const text = fetchErrorSentence(error, retryAt === null ? null : retryAt - now);
  return <p className="error" role="status" data-testid={testId}>{what ? `${what}: ${text}` : text}</p>;
}

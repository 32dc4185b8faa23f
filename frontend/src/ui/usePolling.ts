import { useEffect, useState } from 'react';

/**
 * Calls `load` now and every `periodMs`, keeping the last answer and the last error (cleared by
 * the next success). In-flight requests are aborted when the component goes or `key` changes.
 */
export function usePolling<T>(load: (signal: AbortSignal) => Promise<T>, periodMs: number, key: string): { value: T | null; error: string | null } {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    const poll = () => load(controller.signal)
      .then((v) => { setValue(v); setError(null); })
      .catch((e: unknown) => { if (!controller.signal.aborted) setError(String(e)); });
    void poll();
    const timer = setInterval(poll, periodMs);
    return () => { controller.abort(); clearInterval(timer); };
    // `load` is a new closure on every render; `key` says when it really changed.
  }, [key, periodMs]);

  return { value, error };
}

import { useEffect, useRef, useState } from 'react';

export interface Polled<T> {
  value: T | null;
  /** The last failure (cleared by the next success); describe it with fetchErrorSentence. */
  error: unknown;
  /** When the next attempt is due (epoch ms) while failing, for the retry countdown. */
  retryAt: number | null;
}

/**
 * Calls `load` now and `periodMs` after each answer, keeping the last value and the last error
 * (cleared by the next success). In-flight requests are aborted when the component goes or `key`
 * changes. `refreshKey` changing asks for a fresh load at once (at most one every `periodMs`/4).
 */
export function usePolling<T>(load: (signal: AbortSignal) => Promise<T>, periodMs: number, key: string, refreshKey: unknown = null): Polled<T> {
  const [state, setState] = useState<Polled<T>>({ value: null, error: null, retryAt: null });
  const kick = useRef<() => void>(() => {});

  useEffect(() => {
    const controller = new AbortController();
    let timer: number | undefined;
    let running = false;
    let lastStart = 0;
    const poll = () => {
      window.clearTimeout(timer);
      running = true;
      lastStart = Date.now();
      load(controller.signal)
        .then((value) => { if (!controller.signal.aborted) setState({ value, error: null, retryAt: null }); })
        .catch((error: unknown) => { if (!controller.signal.aborted) setState((s) => ({ value: s.value, error, retryAt: Date.now() + periodMs })); })
        .finally(() => {
          running = false;
          if (!controller.signal.aborted) timer = window.setTimeout(poll, periodMs);
        });
    };
    poll();
    kick.current = () => {
      if (running || controller.signal.aborted) return;
      window.clearTimeout(timer);
      timer = window.setTimeout(poll, Math.max(0, lastStart + periodMs / 4 - Date.now()));
    };
    return () => { controller.abort(); window.clearTimeout(timer); };
    // `load` is a new closure on every render; `key` says when it really changed.
  }, [key, periodMs]);

  useEffect(() => { if (refreshKey !== null) kick.current(); }, [refreshKey]);

  return state;
}

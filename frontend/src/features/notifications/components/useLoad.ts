import { useCallback, useEffect, useState } from 'react';
import { fetchErrorSentence } from '@/api/fetchError';

/** Loads once (and again on `reload`), keeping the answer and the error as a sentence; aborted when the component goes. */
export function useLoad<T>(load: (signal?: AbortSignal) => Promise<T>, key: string): { value: T | null; error: string | null; reload: () => Promise<void> } {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback((signal?: AbortSignal) => load(signal)
    .then((v) => { setValue(v); setError(null); })
    .catch((e: unknown) => { if (!signal?.aborted) setError(fetchErrorSentence(e)); }),
  // `load` is a new closure on every render; `key` says when it really changed.
  [key]);
  useEffect(() => {
    const controller = new AbortController();
    void run(controller.signal);
    return () => controller.abort();
  }, [run]);
  return { value, error, reload: () => run() };
}

/** The message of a failed action, as a sentence (never `TypeError: Failed to fetch`). */
export const messageOf = (e: unknown): string => fetchErrorSentence(e);

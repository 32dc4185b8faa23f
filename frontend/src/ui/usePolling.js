import { useEffect, useState } from 'react';
/**
 * Calls `load` now and every `periodMs`, keeping the last answer and the last error (cleared by
 * the next success). In-flight requests are aborted when the component goes or `key` changes.
 */
export function usePolling(load, periodMs, key) {
    const [value, setValue] = useState(null);
    const [error, setError] = useState(null);
    useEffect(() => {
        const controller = new AbortController();
        const poll = () => load(controller.signal)
            .then((v) => { setValue(v); setError(null); })
            .catch((e) => { if (!controller.signal.aborted)
            setError(String(e)); });
        void poll();
        const timer = setInterval(poll, periodMs);
        return () => { controller.abort(); clearInterval(timer); };
        // `load` is a new closure on every render; `key` says when it really changed.
    }, [key, periodMs]);
    return { value, error };
}

export const DEFAULT_BACKOFF = { baseMs: 500, maxMs: 30_000, jitter: 0.3 };
/** Delay before reconnect attempt `attempt` (1, 2, ...): base·2^(attempt−1), capped, with jitter. */
export function backoffDelay(attempt, random = Math.random, options = DEFAULT_BACKOFF) {
    const exponential = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
    const spread = exponential * options.jitter;
    return Math.round(exponential - spread + random() * spread);
}

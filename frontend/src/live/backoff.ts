export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** 0..1: share of the delay that is randomized, so that many dashboards do not reconnect in step. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 30_000, jitter: 0.3 };

/** Delay before reconnect attempt `attempt` (1, 2, ...): base·2^(attempt−1), capped, with jitter. */
export function backoffDelay(attempt: number, random: () => number = Math.random, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const exponential = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  const spread = exponential * options.jitter;
  return Math.round(exponential - spread + random() * spread);
}

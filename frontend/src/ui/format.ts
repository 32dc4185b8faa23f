/** "12 s ago", "5 min ago", "3 h ago", "2 d ago"; "never" for a missing time. */
export function ago(iso: string | undefined | null, now: number = Date.now()): string {
  if (!iso) return 'never';
  const seconds = Math.max(0, (now - Date.parse(iso)) / 1000);
  return `${duration(seconds)} ago`;
}

/** A length of time in the largest sensible unit. */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86400) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} d`;
}

export function percent(share: number | null | undefined, digits = 1): string {
  return share == null || !Number.isFinite(share) ? '—' : `${(share * 100).toFixed(digits)} %`;
}

export function number(value: number | null | undefined, digits = 0): string {
  return value == null || !Number.isFinite(value) ? '—' : value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * The one way the dashboard shows an absolute time: ISO-style in the browser's time zone,
 * "2026-01-31 14:05:09" (24 h, sortable, the same in every locale); "—" for none or nonsense.
 */
export function time(at: string | number | Date | undefined | null): string {
  if (at === undefined || at === null || at === '') return '—';
  const d = at instanceof Date ? at : new Date(at);
  if (Number.isNaN(d.getTime())) return '—';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${clock(d)}`;
}

/** The time of day of {@link time}: "14:05:09". */
export function clock(at: string | number | Date): string {
  const d = at instanceof Date ? at : new Date(at);
  if (Number.isNaN(d.getTime())) return '—';
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** The date and hour of {@link time}, for chart axes: "01-31 14:05". */
export function shortTime(at: string | number | Date): string {
  const d = at instanceof Date ? at : new Date(at);
  if (Number.isNaN(d.getTime())) return '—';
  return `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** "12 s ago", "5 min ago", "3 h ago", "2 d ago"; "never" for a missing time. */
export function ago(iso, now = Date.now()) {
    if (!iso)
        return 'never';
    const seconds = Math.max(0, (now - Date.parse(iso)) / 1000);
    return `${duration(seconds)} ago`;
}
/** A length of time in the largest sensible unit. */
export function duration(seconds) {
    if (!Number.isFinite(seconds))
        return '—';
    if (seconds < 60)
        return `${Math.round(seconds)} s`;
    if (seconds < 3600)
        return `${Math.round(seconds / 60)} min`;
    if (seconds < 86400)
        return `${(seconds / 3600).toFixed(1)} h`;
    return `${(seconds / 86400).toFixed(1)} d`;
}
export function percent(share, digits = 1) {
    return share == null || !Number.isFinite(share) ? '—' : `${(share * 100).toFixed(digits)} %`;
}
export function number(value, digits = 0) {
    return value == null || !Number.isFinite(value) ? '—' : value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}
export function time(iso) {
    return iso ? new Date(iso).toLocaleString('en-GB', { hour12: false }) : '—';
}

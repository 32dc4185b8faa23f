import type { LiveFilter, LiveSensor } from './protocol';

export type SortKey = 'id' | 'status' | 'since' | 'lastSeen' | 'count' | 'meanInterval';
export interface Sort { key: SortKey; descending: boolean }

/** Worst first when sorting by status: what an operator looks at first. */
const SEVERITY: Record<string, number> = { dead: 0, stale: 1, late: 2, fault: 3, registered: 4, healthy: 5, retired: 6 };

/** Same meaning as the server's filter: state equal, tag present, text a case-insensitive substring of the id. */
export function matches(sensor: LiveSensor, filter: LiveFilter): boolean {
  if (filter.state && sensor.status !== filter.state) return false;
  if (filter.tag && !sensor.tags.includes(filter.tag)) return false;
  if (filter.text && !sensor.id.toLowerCase().includes(filter.text.toLowerCase())) return false;
  return true;
}

function compare(a: LiveSensor, b: LiveSensor, key: SortKey): number {
  switch (key) {
    case 'id': return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    case 'status': return (SEVERITY[a.status] ?? 9) - (SEVERITY[b.status] ?? 9);
    case 'since': return (a.since ?? '').localeCompare(b.since ?? '');
    case 'lastSeen': return (a.lastSeen ?? '').localeCompare(b.lastSeen ?? '');
    case 'count': return a.count - b.count;
    case 'meanInterval': return a.meanInterval - b.meanInterval;
  }
}

/** The rows to show: filtered, then sorted (ties broken by id, so the order is stable across updates). */
export function tableRows(sensors: Iterable<LiveSensor>, filter: LiveFilter, sort: Sort): LiveSensor[] {
  const rows: LiveSensor[] = [];
  for (const s of sensors) if (matches(s, filter)) rows.push(s);
  const direction = sort.descending ? -1 : 1;
  rows.sort((a, b) => direction * compare(a, b, sort.key) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return rows;
}

export interface Window { start: number; end: number; offsetTop: number; totalHeight: number }

/** Rows [start, end) to render for a scroll position, with `overscan` extra rows each side. */
export function visibleWindow(scrollTop: number, viewportHeight: number, rowHeight: number, total: number, overscan = 8): Window {
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const count = Math.ceil(viewportHeight / rowHeight);
  const start = Math.max(0, Math.min(total, first - overscan));
  const end = Math.min(total, first + count + overscan);
  return { start, end, offsetTop: start * rowHeight, totalHeight: total * rowHeight };
}

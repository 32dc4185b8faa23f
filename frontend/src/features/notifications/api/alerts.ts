import { duration } from '@/ui/format';
import { call, notificationsPath, parseItems } from './request';

/** An open alert group (GET /api/v1/notifications/groups?state=open). */
export interface AlertGroup {
  id: number;
  ruleId: number;
  ruleName: string;
  ruleTag?: string | null;
  openedAt: string;
  lastSentAt?: string | null;
  nextFlushAt: string;
  counts: Record<string, number>;
  members: number;
  sensors: string[];
}

/** A period when FleetHealth itself could not hear the fleet. */
export interface MonitorOutage {
  id: number;
  startedAt: string;
  endedAt: string;
  seconds: number;
  heldSensors: number;
  droppedSensors: number;
}

const isGroup = (g: Record<string, unknown>) => typeof g.id === 'number' && typeof g.ruleName === 'string' && typeof g.counts === 'object' && Array.isArray(g.sensors);
const isOutage = (o: Record<string, unknown>) => typeof o.startedAt === 'string' && typeof o.endedAt === 'string' && typeof o.seconds === 'number';

export const fetchOpenGroups = (apiBase: string, signal?: AbortSignal) =>
  call(`${notificationsPath(apiBase)}/groups?state=open`, { signal }, (b) => parseItems<AlertGroup>(b, 'alert group', isGroup));

export const fetchMonitorOutages = (apiBase: string, signal?: AbortSignal) =>
  call(`${notificationsPath(apiBase)}/monitor-outages?limit=5`, { signal }, (b) => parseItems<MonitorOutage>(b, 'monitor outage', isOutage));

const ORDER = ['dead', 'fault', 'stale', 'late', 'recovered', 'retired'];

/** "3 dead, 12 stale": worst first. */
export function countsText(counts: Record<string, number>): string {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => (ORDER.indexOf(a) + 1 || 99) - (ORDER.indexOf(b) + 1 || 99))
    .map(([state, n]) => `${n.toLocaleString('en-US')} ${state}`)
    .join(', ');
}

/** How many members the group has beyond the sensors it lists. */
export const moreSensors = (group: AlertGroup): number => Math.max(0, group.members - group.sensors.length);

/** Outages to show: those that ended within `withinMs` (a day), newest first. */
export function recentOutages(items: MonitorOutage[], now: number = Date.now(), withinMs = 86400_000): MonitorOutage[] {
  return items.filter((o) => now - Date.parse(o.endedAt) <= withinMs).sort((a, b) => Date.parse(b.endedAt) - Date.parse(a.endedAt));
}

/** The banner's sentence for one outage; `when` formats a time. */
export function outageSentence(o: MonitorOutage, when: (iso: string) => string): string {
  const held = o.heldSensors > 0
    ? ` ${o.heldSensors.toLocaleString('en-US')} sensor${o.heldSensors === 1 ? '' : 's'} that went quiet only then ${o.heldSensors === 1 ? 'was' : 'were'} held, not alerted at once${o.droppedSensors > 0 ? `; ${o.droppedSensors.toLocaleString('en-US')} beat again and ${o.droppedSensors === 1 ? 'was' : 'were'} never alerted` : ''}.`
    : ' Alerts for sensors that went quiet only then were held.';
  return `FleetHealth could not hear the fleet from ${when(o.startedAt)} to ${when(o.endedAt)} (${duration(o.seconds)}).${held}`;
}

import { call, notificationsPath, parseItems } from './request';

export interface Delivery {
  id: number;
  notificationId: string;
  channelId: number;
  channelName: string;
  type: 'alert' | 'test';
  summary: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt?: string | null;
  lastAttemptAt?: string | null;
  lastStatus?: number | null;
  lastError?: string | null;
  deliveredAt?: string | null;
  createdAt: string;
  idempotencyKey: string;
}

const isDelivery = (d: Record<string, unknown>) => typeof d.id === 'number' && typeof d.channelId === 'number' && typeof d.status === 'string' && typeof d.attempts === 'number';

export function deliveriesUrl(apiBase: string, channel: number | null, limit = 200): string {
  const query = new URLSearchParams({ limit: String(limit) });
  if (channel != null) query.set('channel', String(channel));
  return `${notificationsPath(apiBase)}/deliveries?${query.toString()}`;
}

export const fetchDeliveries = (apiBase: string, channel: number | null, signal?: AbortSignal) =>
  call(deliveriesUrl(apiBase, channel), { signal }, (b) => parseItems<Delivery>(b, 'delivery', isDelivery));

/** The channels the log mentions (id → name), for the filter when channels cannot be listed (operators). */
export function channelsIn(deliveries: Delivery[]): { id: number; name: string }[] {
  const seen = new Map<number, string>();
  for (const d of deliveries) if (!seen.has(d.channelId)) seen.set(d.channelId, d.channelName);
  return [...seen].map(([id, name]) => ({ id, name })).sort((a, b) => a.id - b.id);
}

/** "delivered (200)", "failed (500)", "retrying (3 tries)". */
export function deliveryState(d: Delivery): string {
  const status = d.lastStatus != null ? ` (${d.lastStatus})` : '';
  if (d.status === 'pending') return d.attempts === 0 ? 'pending' : `retrying${status}`;
  return `${d.status}${status}`;
}

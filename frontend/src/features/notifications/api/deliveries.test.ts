import { describe, expect, it } from 'vitest';
import { channelsIn, deliveriesUrl, deliveryState, type Delivery } from './deliveries';

const delivery = (patch: Partial<Delivery>): Delivery => ({
  id: 1, notificationId: 'n', channelId: 1, channelName: 'ops', type: 'alert', summary: 's', status: 'pending', attempts: 0, createdAt: '', idempotencyKey: 'k', ...patch,
});

describe('delivery log', () => {
  it('filters by channel in the query', () => {
    expect(deliveriesUrl('', null)).toBe('/api/v1/notifications/deliveries?limit=200');
    expect(deliveriesUrl('', 7, 50)).toBe('/api/v1/notifications/deliveries?limit=50&channel=7');
  });

  it('names the state with the last status', () => {
    expect(deliveryState(delivery({}))).toBe('pending');
    expect(deliveryState(delivery({ attempts: 3, lastStatus: 503 }))).toBe('retrying (503)');
    expect(deliveryState(delivery({ status: 'delivered', attempts: 1, lastStatus: 200 }))).toBe('delivered (200)');
    expect(deliveryState(delivery({ status: 'failed', attempts: 30 }))).toBe('failed');
  });

  it('lists the channels the log names, once each', () => {
    expect(channelsIn([delivery({ channelId: 2, channelName: 'b' }), delivery({ channelId: 1, channelName: 'a' }), delivery({ channelId: 2, channelName: 'b' })]))
      .toEqual([{ id: 1, name: 'a' }, { id: 2, name: 'b' }]);
  });
});

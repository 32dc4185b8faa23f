import { describe, expect, it } from 'vitest';
import { parseRoute } from './router';

describe('routes', () => {
  it('maps paths to pages', () => {
    expect(parseRoute('/')).toEqual({ page: 'fleet' });
    expect(parseRoute('/analytics')).toEqual({ page: 'analytics' });
    expect(parseRoute('/admin')).toEqual({ page: 'admin' });
    expect(parseRoute('/tags')).toEqual({ page: 'tags' });
    expect(parseRoute('/sensors/a%3Ab')).toEqual({ page: 'sensor', sensorId: 'a:b' });
    expect(parseRoute('/alerts')).toEqual({ page: 'alerts', section: 'rules' });
    expect(parseRoute('/alerts/deliveries')).toEqual({ page: 'alerts', section: 'deliveries' });
    expect(parseRoute('/alerts/nope')).toEqual({ page: 'not-found', path: '/alerts/nope' });
    expect(parseRoute('/nope/x')).toEqual({ page: 'not-found', path: '/nope/x' });
  });
});

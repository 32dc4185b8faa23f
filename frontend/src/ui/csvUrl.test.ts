import { describe, expect, it } from 'vitest';
import { csvUrl } from './csvUrl';

describe('csvUrl', () => {
  it('asks for csv with the page\'s filters, leaving unset ones out', () => {
    expect(csvUrl('', '/api/v1/sensors', { state: 'late', tag: 'site:north', q: undefined }))
      .toBe('/api/v1/sensors?format=csv&state=late&tag=site%3Anorth');
    expect(csvUrl('', '/api/v1/sensors', { state: null, tag: '', q: 'pump-' })).toBe('/api/v1/sensors?format=csv&q=pump-');
  });

  it('encodes values and joins the api base without a doubled slash', () => {
    expect(csvUrl('http://fleet.example:8080/', '/api/v1/sensors/a.b/heartbeats', { since: '2026-01-02T03:04:05.000Z', limit: 10 }))
      .toBe('http://fleet.example:8080/api/v1/sensors/a.b/heartbeats?format=csv&since=2026-01-02T03%3A04%3A05.000Z&limit=10');
  });

  it('without parameters is the plain csv download', () => {
    expect(csvUrl('', '/api/v1/analytics/lifespan')).toBe('/api/v1/analytics/lifespan?format=csv');
  });

  it('keeps the csv whatever the parameters, and cannot be split by a value', () => {
    expect(csvUrl('', '/api/v1/sensors', { format: 'json', q: 'a&format=json' })).toBe('/api/v1/sensors?format=csv&q=a%26format%3Djson');
  });
});

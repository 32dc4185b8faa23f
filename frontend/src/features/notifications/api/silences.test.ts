import { describe, expect, it } from 'vitest';
import { emptySilenceForm, silenceBody, splitSilences, type Silence } from './silences';

const now = Date.parse('2026-05-01T12:00:00Z');

describe('silence form', () => {
  it('sends a tag or a sensor for a number of hours from now', () => {
    expect(silenceBody({ ...emptySilenceForm(), value: 'site:north', hours: '1.5', comment: ' rollout ' }, now)).toEqual({ body: { tag: 'site:north', durationSeconds: 5400, comment: 'rollout' } });
    expect(silenceBody({ ...emptySilenceForm(), target: 'sensor', value: 'pump-01', hours: '2' }, now)).toEqual({ body: { sensorId: 'pump-01', durationSeconds: 7200 } });
  });

  it('sends a later start as an instant', () => {
    const starts = new Date(now + 3600_000);
    const local = `${starts.getFullYear()}-${String(starts.getMonth() + 1).padStart(2, '0')}-${String(starts.getDate()).padStart(2, '0')}T${String(starts.getHours()).padStart(2, '0')}:${String(starts.getMinutes()).padStart(2, '0')}`;
    expect(silenceBody({ ...emptySilenceForm(), value: 'a', startsAt: local, hours: '1' }, now)).toHaveProperty('body.startsAt', starts.toISOString());
  });

  it('refuses a window that is empty, too long or over already', () => {
    expect(silenceBody({ ...emptySilenceForm(), value: '' }, now)).toHaveProperty('error');
    expect(silenceBody({ ...emptySilenceForm(), value: 'bad tag' }, now)).toHaveProperty('error');
    expect(silenceBody({ ...emptySilenceForm(), value: 'a', hours: '0' }, now)).toHaveProperty('error');
    expect(silenceBody({ ...emptySilenceForm(), value: 'a', hours: String(91 * 24) }, now)).toHaveProperty('error');
    expect(silenceBody({ ...emptySilenceForm(), value: 'a', startsAt: '2026-04-01T00:00', hours: '1' }, now)).toHaveProperty('error', expect.stringContaining('over already'));
  });
});

describe('silence list', () => {
  const silence = (id: number, starts: string, ends: string, active: boolean): Silence => ({ id, tag: 't', startsAt: starts, endsAt: ends, active, createdAt: starts, createdBy: 'op' });

  it('puts the active first, then those to come, and the past apart, latest first', () => {
    const items = [
      silence(1, '2026-05-01T10:00:00Z', '2026-05-01T11:00:00Z', false),
      silence(2, '2026-05-01T13:00:00Z', '2026-05-01T14:00:00Z', false),
      silence(3, '2026-05-01T11:00:00Z', '2026-05-01T18:00:00Z', true),
      silence(4, '2026-05-01T09:00:00Z', '2026-05-01T11:30:00Z', false),
    ];
    const { current, past } = splitSilences(items, now);
    expect(current.map((s) => s.id)).toEqual([3, 2]);
    expect(past.map((s) => s.id)).toEqual([4, 1]);
  });
});

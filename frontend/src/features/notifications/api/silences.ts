import { call, notificationsPath, parseItems, send, tagError } from './request';

export interface Silence {
  id: number;
  tag?: string | null;
  sensorId?: string | null;
  startsAt: string;
  endsAt: string;
  active: boolean;
  comment?: string | null;
  createdAt: string;
  createdBy: string;
}

export interface SilenceForm {
  target: 'tag' | 'sensor';
  value: string;
  /** A datetime-local value; empty: now. */
  startsAt: string;
  /** Hours from the start. */
  hours: string;
  comment: string;
}

export const MAX_SILENCE_HOURS = 90 * 24;

export const emptySilenceForm = (): SilenceForm => ({ target: 'tag', value: '', startsAt: '', hours: '2', comment: '' });

/** The body of POST …/silences, or the first thing wrong. `startsAt` is local time as the browser reads a datetime-local field. */
export function silenceBody(form: SilenceForm, now: number = Date.now()): { body: Record<string, unknown> } | { error: string } {
  const value = form.value.trim();
  if (value === '') return { error: form.target === 'tag' ? 'Name the tag to silence.' : 'Name the sensor to silence.' };
  if (form.target === 'tag' && tagError(value)) return { error: tagError(value)! };
  if (form.target === 'sensor' && (value.length > 128 || /\s/.test(value))) return { error: 'A sensor id is up to 128 characters without spaces.' };
  const hours = Number(form.hours.trim());
  if (!Number.isFinite(hours) || hours <= 0 || hours > MAX_SILENCE_HOURS) return { error: `A silence lasts more than 0 and at most ${MAX_SILENCE_HOURS} hours.` };
  let starts = now;
  if (form.startsAt.trim() !== '') {
    starts = new Date(form.startsAt).getTime();
    if (!Number.isFinite(starts)) return { error: 'The start is not a date and time.' };
  }
  if (starts + hours * 3600_000 <= now) return { error: 'The silence would be over already: it must end in the future.' };
  if (form.comment.length > 500) return { error: 'A comment is at most 500 characters.' };
  const body: Record<string, unknown> = { [form.target === 'tag' ? 'tag' : 'sensorId']: value, durationSeconds: hours * 3600 };
  if (form.startsAt.trim() !== '') body.startsAt = new Date(starts).toISOString();
  if (form.comment.trim() !== '') body.comment = form.comment.trim();
  return { body };
}

/** Active first (soonest end first), then those to come, then the past (latest end first). */
export function splitSilences(items: Silence[], now: number = Date.now()): { current: Silence[]; past: Silence[] } {
  const current = items.filter((s) => Date.parse(s.endsAt) > now).sort((a, b) => Number(b.active) - Number(a.active) || Date.parse(a.endsAt) - Date.parse(b.endsAt));
  const past = items.filter((s) => Date.parse(s.endsAt) <= now).sort((a, b) => Date.parse(b.endsAt) - Date.parse(a.endsAt));
  return { current, past };
}

const isSilence = (s: Record<string, unknown>) => typeof s.id === 'number' && typeof s.startsAt === 'string' && typeof s.endsAt === 'string' && typeof s.active === 'boolean';

const silences = (apiBase: string) => `${notificationsPath(apiBase)}/silences`;

export const fetchSilences = (apiBase: string, signal?: AbortSignal) => call(silences(apiBase), { signal }, (b) => parseItems<Silence>(b, 'silence', isSilence));

export const createSilence = (apiBase: string, body: Record<string, unknown>) => call<Silence>(silences(apiBase), send('POST', body));

export const endSilence = (apiBase: string, id: number) => call<Silence>(`${silences(apiBase)}/${id}/end`, { method: 'POST' });

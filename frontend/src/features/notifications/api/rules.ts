import { call, notificationsPath, parseItems, parseSecondsField, send, tagError } from './request';

export const TRANSITIONS = ['late', 'stale', 'dead', 'fault', 'recovered', 'retired'] as const;
export type Transition = (typeof TRANSITIONS)[number];

export interface Rule {
  id: number;
  name: string;
  transitions: Transition[];
  tag?: string | null;
  channels: number[];
  groupWaitSeconds: number;
  groupIntervalSeconds: number;
  repeatIntervalSeconds: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
}

export interface RuleForm {
  name: string;
  transitions: Transition[];
  tag: string;
  channels: number[];
  groupWait: string;
  groupInterval: string;
  repeatInterval: string;
}

export const emptyRuleForm = (): RuleForm => ({ name: '', transitions: ['stale', 'dead'], tag: '', channels: [], groupWait: '', groupInterval: '', repeatInterval: '' });

export const ruleToForm = (r: Rule): RuleForm => ({
  name: r.name,
  transitions: [...r.transitions],
  tag: r.tag ?? '',
  channels: [...r.channels],
  groupWait: String(r.groupWaitSeconds),
  groupInterval: String(r.groupIntervalSeconds),
  repeatInterval: String(r.repeatIntervalSeconds),
});

/** The bounds of RuleValidation; empty timings take the server's defaults (30 s, 5 min, 4 h). */
const TIMINGS = [
  ['groupWait', 'groupWaitSeconds', 0, 86400],
  ['groupInterval', 'groupIntervalSeconds', 1, 604800],
  ['repeatInterval', 'repeatIntervalSeconds', 1, 2592000],
] as const;

/** The body of POST/PUT, or the first thing wrong with the form. */
export function ruleBody(form: RuleForm): { body: Record<string, unknown> } | { error: string } {
  const name = form.name.trim();
  if (name.length < 1 || name.length > 100) return { error: 'A rule needs a name of 1 to 100 characters.' };
  if (form.transitions.length === 0) return { error: 'Pick at least one transition.' };
  const tag = form.tag.trim();
  if (tag !== '' && tagError(tag)) return { error: tagError(tag)! };
  if (form.channels.length === 0) return { error: 'Pick at least one channel.' };
  const body: Record<string, unknown> = { name, transitions: TRANSITIONS.filter((t) => form.transitions.includes(t)), tag: tag === '' ? null : tag, channels: form.channels };
  for (const [key, field, min, max] of TIMINGS) {
    const parsed = parseSecondsField(form[key], field, min, max);
    if ('error' in parsed) return parsed;
    body[field] = parsed.value;
  }
  return { body };
}

/** Channel ids typed by someone who cannot list channels (operators): "3, 5". */
export function parseChannelIds(text: string): number[] | null {
  const parts = text.split(/[\s,]+/).filter((p) => p !== '');
  const ids = parts.map(Number);
  return ids.every((id) => Number.isInteger(id) && id > 0) ? [...new Set(ids)] : null;
}

const isRule = (r: Record<string, unknown>) => typeof r.id === 'number' && typeof r.name === 'string' && Array.isArray(r.transitions) && Array.isArray(r.channels);

const rules = (apiBase: string) => `${notificationsPath(apiBase)}/rules`;

export const fetchRules = (apiBase: string, signal?: AbortSignal) => call(rules(apiBase), { signal }, (b) => parseItems<Rule>(b, 'rule', isRule));

export const createRule = (apiBase: string, body: Record<string, unknown>) => call<Rule>(rules(apiBase), send('POST', body));

export const replaceRule = (apiBase: string, id: number, body: Record<string, unknown>) => call<Rule>(`${rules(apiBase)}/${id}`, send('PUT', body));

export const deleteRule = (apiBase: string, id: number) => call<void>(`${rules(apiBase)}/${id}`, { method: 'DELETE' });

import { apiFetch, jsonBody, responseProblem } from '@/api/http';

/** An ingest key as the server lists it (never its secret). */
export interface IngestKey {
  keyId: string;
  name: string;
  tag?: string | null;
  createdAt: string;
  createdBy: string;
  revokedAt?: string | null;
}

/** A new key: `key` is the only time the secret is ever shown. */
export interface CreatedKey extends IngestKey {
  key: string;
}

export interface Operator {
  user: string;
  role: string;
  createdAt: string;
  createdBy: string;
  disabledAt?: string | null;
}

/** A new operator; `password` is set only when the server generated it (shown once). */
export interface CreatedOperator {
  user: string;
  role: string;
  password?: string | null;
}

const TAG = /^[A-Za-z0-9._:/-]{1,64}$/;
const USER = /^[A-Za-z0-9._@-]{1,64}$/;

/** The server's rules for a new key, checked before sending so the form can say what is wrong at once. */
export function newKeyProblem(name: string, tag: string): string | null {
  if (name.trim().length === 0 || name.trim().length > 100) return 'A key needs a name of 1 to 100 characters.';
  if (tag !== '' && !TAG.test(tag)) return 'A tag is 1 to 64 characters of A-Z a-z 0-9 . _ : / -.';
  return null;
}

export function newOperatorProblem(user: string, password: string): string | null {
  if (!USER.test(user)) return 'A user name is 1 to 64 characters of a-z 0-9 . _ - @.';
  if (password !== '' && password.length < 12) return 'A password has at least 12 characters (or leave it empty to generate one).';
  return null;
}

function items<T>(body: unknown, check: (item: T) => boolean, what: string): T[] {
  const list = (body as { items?: unknown })?.items;
  if (!Array.isArray(list) || !list.every((i) => check(i as T))) throw new Error(`the ${what} list is malformed`);
  return list as T[];
}

export const parseKeys = (body: unknown): IngestKey[] =>
  items<IngestKey>(body, (k) => typeof k?.keyId === 'string' && typeof k.name === 'string' && typeof k.createdAt === 'string', 'ingest key');

export const parseOperators = (body: unknown): Operator[] =>
  items<Operator>(body, (o) => typeof o?.user === 'string' && typeof o.role === 'string', 'operator');

async function call<T>(url: string, init: RequestInit, parse: (body: unknown) => T): Promise<T> {
  const response = await apiFetch(url, init);
  if (!response.ok) throw new Error(await responseProblem(response));
  return parse(await response.json());
}

export const fetchKeys = (apiBase: string, signal?: AbortSignal) => call(`${apiBase}/api/v1/ingest-keys`, { signal }, parseKeys);

export const createKey = (apiBase: string, name: string, tag: string) =>
  call(`${apiBase}/api/v1/ingest-keys`, jsonBody('POST', { name: name.trim(), tag: tag === '' ? null : tag }), (b) => b as CreatedKey);

export const revokeKey = (apiBase: string, keyId: string) =>
  call(`${apiBase}/api/v1/ingest-keys/${encodeURIComponent(keyId)}/revoke`, { method: 'POST' }, (b) => b as IngestKey);

export const fetchOperators = (apiBase: string, signal?: AbortSignal) => call(`${apiBase}/api/v1/operators`, { signal }, parseOperators);

export const createOperator = (apiBase: string, user: string, role: string, password: string) =>
  call(`${apiBase}/api/v1/operators`, jsonBody('POST', { user, role, password: password === '' ? null : password }), (b) => b as CreatedOperator);

export const setOperatorDisabled = (apiBase: string, user: string, disabled: boolean) =>
  call(`${apiBase}/api/v1/operators/${encodeURIComponent(user)}`, jsonBody('PATCH', { disabled }), (b) => b as Operator);

import { apiFetch, jsonBody, responseProblem } from '@/api/http';

/** The notifications API's base path. */
export const notificationsPath = (apiBase: string) => `${apiBase}/api/v1/notifications`;

/** A call whose failure is the server's problem detail as a sentence (a 403 says who may do it). */
export async function call<T>(url: string, init: RequestInit = {}, parse: (body: unknown) => T = (b) => b as T): Promise<T> {
  const response = await apiFetch(url, init);
  if (!response.ok) throw new Error(await responseProblem(response));
  return response.status === 204 ? (undefined as T) : parse(await response.json());
}

export const send = (method: string, body: unknown): RequestInit => jsonBody(method, body);

/** `{ items: [...] }` with each item checked by `check`, so that a server of another version fails loudly here. */
export function parseItems<T>(body: unknown, what: string, check: (item: Record<string, unknown>) => boolean): T[] {
  const items = (body as { items?: unknown })?.items;
  if (!Array.isArray(items)) throw new Error(`${what} answer is malformed`);
  items.forEach((item, i) => {
    if (typeof item !== 'object' || item === null || !check(item as Record<string, unknown>)) throw new Error(`${what} ${i} is malformed`);
  });
  return items as T[];
}

/** A form field of seconds: empty takes the server's default (null); otherwise a number from min to max. */
export function parseSecondsField(text: string, field: string, min: number, max: number): { value: number | null } | { error: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { value: null };
  const value = Number(trimmed);
  if (!Number.isFinite(value) || value < min || value > max) return { error: `${field} is ${min} to ${max} seconds.` };
  return { value };
}

const TAG = /^[A-Za-z0-9._:/-]{1,64}$/;

/** The server's tag alphabet (SensorTag). */
export const tagError = (tag: string): string | null => (TAG.test(tag) ? null : 'A tag is 1 to 64 characters of A-Z a-z 0-9 . _ : / -');

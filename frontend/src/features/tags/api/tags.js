import { apiFetch, jsonBody, responseProblem } from '@/api/http';
/** The bounds the server enforces (BeatSettingsValidation): checked here too, so the form says what is wrong before sending. */
export const MAX_SECONDS = 30 * 86400;
const TAG = /^[A-Za-z0-9._:/-]{1,64}$/;
export function tagError(tag) {
    return TAG.test(tag) ? null : 'A tag is 1 to 64 characters of A-Z a-z 0-9 . _ : / -';
}
/** A form field in seconds: empty means "inherit" (null); otherwise a number within the bounds, or an error. */
export function parseSeconds(text, kind) {
    const trimmed = text.trim();
    if (trimmed === '')
        return { value: null };
    const value = Number(trimmed);
    if (!Number.isFinite(value))
        return { error: `${kind} must be a number of seconds` };
    if (kind === 'interval' ? !(value > 0 && value <= MAX_SECONDS) : !(value >= 0 && value <= MAX_SECONDS)) {
        return { error: kind === 'interval' ? `interval must be above 0 and at most ${MAX_SECONDS} s` : `grace must be from 0 to ${MAX_SECONDS} s` };
    }
    return { value };
}
/** Checks the answer's shape, so that a server of another version fails loudly here, not in rendering. */
export function parseTagList(body) {
    const list = body;
    if (typeof list?.fleetIntervalSeconds !== 'number' || typeof list.fleetGraceSeconds !== 'number' || !Array.isArray(list.items)) {
        throw new Error('tag list answer is malformed');
    }
    list.items.forEach((t, i) => {
        if (typeof t?.tag !== 'string' || typeof t.sensors !== 'number')
            throw new Error(`tag ${i} is malformed`);
    });
    return list;
}
/** The path of a tag: '/' in a tag travels as %2F (encodeURIComponent does that). */
export const tagPath = (apiBase, tag) => `${apiBase}/api/v1/tags/${encodeURIComponent(tag)}`;
export async function fetchTags(apiBase, signal) {
    const response = await apiFetch(`${apiBase}/api/v1/tags`, { signal });
    if (!response.ok)
        throw new Error(await responseProblem(response));
    return parseTagList(await response.json());
}
export async function saveTagSettings(apiBase, tag, intervalSeconds, graceSeconds) {
    const response = await apiFetch(`${tagPath(apiBase, tag)}/settings`, jsonBody('PUT', { intervalSeconds, graceSeconds }));
    if (!response.ok)
        throw new Error(await responseProblem(response));
}
export async function clearTagSettings(apiBase, tag) {
    const response = await apiFetch(`${tagPath(apiBase, tag)}/settings`, { method: 'DELETE' });
    if (!response.ok && response.status !== 404)
        throw new Error(await responseProblem(response));
}

import { apiFetch, jsonBody, responseProblem } from '@/api/http';
const TAG = /^[A-Za-z0-9._:/-]{1,64}$/;
const USER = /^[A-Za-z0-9._@-]{1,64}$/;
/** The server's rules for a new key, checked before sending so the form can say what is wrong at once. */
export function newKeyProblem(name, tag) {
    if (name.trim().length === 0 || name.trim().length > 100)
        return 'A key needs a name of 1 to 100 characters.';
    if (tag !== '' && !TAG.test(tag))
        return 'A tag is 1 to 64 characters of A-Z a-z 0-9 . _ : / -.';
    return null;
}
export function newOperatorProblem(user, password) {
    if (!USER.test(user))
        return 'A user name is 1 to 64 characters of a-z 0-9 . _ - @.';
    if (password !== '' && password.length < 12)
        return 'A password has at least 12 characters (or leave it empty to generate one).';
    return null;
}
function items(body, check, what) {
    const list = body?.items;
    if (!Array.isArray(list) || !list.every((i) => check(i)))
        throw new Error(`the ${what} list is malformed`);
    return list;
}
export const parseKeys = (body) => items(body, (k) => typeof k?.keyId === 'string' && typeof k.name === 'string' && typeof k.createdAt === 'string', 'ingest key');
export const parseOperators = (body) => items(body, (o) => typeof o?.user === 'string' && typeof o.role === 'string', 'operator');
async function call(url, init, parse) {
    const response = await apiFetch(url, init);
    if (!response.ok)
        throw new Error(await responseProblem(response));
    return parse(await response.json());
}
export const fetchKeys = (apiBase, signal) => call(`${apiBase}/api/v1/ingest-keys`, { signal }, parseKeys);
export const createKey = (apiBase, name, tag) => call(`${apiBase}/api/v1/ingest-keys`, jsonBody('POST', { name: name.trim(), tag: tag === '' ? null : tag }), (b) => b);
export const revokeKey = (apiBase, keyId) => call(`${apiBase}/api/v1/ingest-keys/${encodeURIComponent(keyId)}/revoke`, { method: 'POST' }, (b) => b);
export const fetchOperators = (apiBase, signal) => call(`${apiBase}/api/v1/operators`, { signal }, parseOperators);
export const createOperator = (apiBase, user, role, password) => call(`${apiBase}/api/v1/operators`, jsonBody('POST', { user, role, password: password === '' ? null : password }), (b) => b);
export const setOperatorDisabled = (apiBase, user, disabled) => call(`${apiBase}/api/v1/operators/${encodeURIComponent(user)}`, jsonBody('PATCH', { disabled }), (b) => b);

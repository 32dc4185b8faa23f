import { apiFetch, jsonBody, responseProblem } from '@/api/http';
import { throttledMessage } from './session';
/**
 * POST /api/v1/auth/password: the signed-in operator's own password. On success the server ends
 * the operator's other sessions and keeps this one.
 */
export async function changeOwnPassword(apiBase, currentPassword, newPassword) {
    const response = await apiFetch(`${apiBase}/api/v1/auth/password`, jsonBody('POST', { currentPassword, newPassword }));
    if (response.ok)
        return { ok: true };
    if (response.status === 403)
        return { ok: false, message: 'The current password is wrong.' };
    if (response.status === 429)
        return { ok: false, message: throttledMessage(response.headers.get('retry-after')) };
    return { ok: false, message: await responseProblem(response) };
}

import { apiFetch, responseProblem } from '@/api/http';
/** The operator command that applies to a sensor in this state: retire a watched sensor, reactivate a retired one. */
export function commandFor(status) {
    return status === 'retired' ? 'reactivate' : 'retire';
}
/** Sends an operator command; resolves once it is durable, rejects with the server's reason (403 for a viewer). */
export async function sendSensorCommand(apiBase, sensorId, command) {
    const response = await apiFetch(`${apiBase}/api/v1/sensors/${encodeURIComponent(sensorId)}/${command}`, { method: 'POST' });
    if (!response.ok)
        throw new Error(await responseProblem(response));
}

import { apiFetch } from '@/api/http';
const dropReasons = ['checksum', 'malformed', 'overlong', 'invalid', 'unknownSensor', 'overflow'];
/** Checks the answer's shape, so that a server of another version fails loudly here, not in rendering. */
export function parseSerialPorts(body) {
    const items = body?.items;
    if (!Array.isArray(items))
        throw new Error('serial ports answer has no items');
    return items.map((item, i) => {
        const port = item;
        if (typeof port?.device !== 'string' || typeof port.connected !== 'boolean' || typeof port.linesOk !== 'number' || typeof port.dropped !== 'object') {
            throw new Error(`serial port ${i} is malformed`);
        }
        for (const reason of dropReasons) {
            if (typeof port.dropped[reason] !== 'number')
                throw new Error(`serial port ${i} lacks the ${reason} count`);
        }
        return port;
    });
}
export function totalDropped(port) {
    return dropReasons.reduce((sum, reason) => sum + port.dropped[reason], 0);
}
export async function fetchSerialPorts(apiBase, signal) {
    const response = await apiFetch(`${apiBase}/api/v1/serial/ports`, { signal });
    if (!response.ok)
        throw new Error(`serial ports answered ${response.status}`);
    return parseSerialPorts(await response.json());
}

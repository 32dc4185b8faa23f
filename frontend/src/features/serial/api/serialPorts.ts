import { failedResponse } from '@/api/fetchError';
import { apiFetch } from '@/api/http';
/** One serial port as GET /api/v1/serial/ports describes it. */
export interface SerialPort {
  device: string;
  baud: number;
  defaultSensorId?: string;
  connected: boolean;
  linesOk: number;
  dropped: Record<'checksum' | 'malformed' | 'overlong' | 'invalid' | 'unknownSensor' | 'overflow', number>;
  reconnects: number;
  queued: number;
  lastLineAt?: string;
  lastError?: string;
}

const dropReasons = ['checksum', 'malformed', 'overlong', 'invalid', 'unknownSensor', 'overflow'] as const;

/** Checks the answer's shape, so that a server of another version fails loudly here, not in rendering. */
export function parseSerialPorts(body: unknown): SerialPort[] {
  const items = (body as { items?: unknown })?.items;
  if (!Array.isArray(items)) throw new Error('serial ports answer has no items');
  return items.map((item, i) => {
    const port = item as SerialPort;
    if (typeof port?.device !== 'string' || typeof port.connected !== 'boolean' || typeof port.linesOk !== 'number' || typeof port.dropped !== 'object') {
      throw new Error(`serial port ${i} is malformed`);
    }
    for (const reason of dropReasons) {
      if (typeof port.dropped[reason] !== 'number') throw new Error(`serial port ${i} lacks the ${reason} count`);
    }
    return port;
  });
}

export function totalDropped(port: SerialPort): number {
  return dropReasons.reduce((sum, reason) => sum + port.dropped[reason], 0);
}

export async function fetchSerialPorts(apiBase: string, signal?: AbortSignal): Promise<SerialPort[]> {
  const response = await apiFetch(`${apiBase}/api/v1/serial/ports`, { signal });
  if (!response.ok) throw await failedResponse(response);
  return parseSerialPorts(await response.json());
}

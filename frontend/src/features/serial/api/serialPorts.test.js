import { describe, expect, it } from 'vitest';
import { parseSerialPorts, totalDropped } from './serialPorts';
const port = {
    device: '/dev/ttyUSB0', baud: 115200, connected: true, linesOk: 10, reconnects: 1, queued: 0,
    dropped: { checksum: 2, malformed: 1, overlong: 0, invalid: 0, unknownSensor: 3, overflow: 0 },
};
describe('parseSerialPorts', () => {
    it('reads the ports and sums their drops', () => {
        const [parsed] = parseSerialPorts({ items: [port] });
        expect(parsed?.device).toBe('/dev/ttyUSB0');
        expect(totalDropped(parsed)).toBe(6);
    });
    it('accepts a server without ports', () => {
        expect(parseSerialPorts({ items: [] })).toEqual([]);
    });
    it('refuses a port without its drop counts', () => {
        expect(() => parseSerialPorts({ items: [{ ...port, dropped: { checksum: 1 } }] })).toThrow(/malformed count/);
    });
    it('refuses an answer that is not a list', () => {
        expect(() => parseSerialPorts({ ports: [] })).toThrow(/no items/);
    });
});

import { useCallback, useEffect, useRef, useState } from 'react';
import { LiveConnection, websocketUrl } from './connection';
import { applyMessage, emptyFleet, markReconnecting, watch as watchSensor } from './fleetStore';
/** The app's one live connection and the fleet state it maintains. */
export function useLive(apiBase) {
    const [fleet, setFleet] = useState(emptyFleet);
    const [status, setStatus] = useState({ kind: 'connecting', attempt: 1 });
    const connection = useRef(null);
    useEffect(() => {
        const live = new LiveConnection({
            url: websocketUrl(apiBase, window.location),
            createSocket: (url) => new WebSocket(url),
            setTimer: (fn, ms) => window.setTimeout(fn, ms),
            clearTimer: (handle) => window.clearTimeout(handle),
            onMessage: (message) => setFleet((state) => applyMessage(state, message)),
            onStatus: setStatus,
            onReconnect: () => setFleet(markReconnecting),
        });
        connection.current = live;
        live.start();
        return () => { live.stop(); connection.current = null; };
    }, [apiBase]);
    const subscribe = useCallback((filter) => connection.current?.subscribe(filter), []);
    const watch = useCallback((sensorId) => {
        setFleet((state) => watchSensor(state, sensorId));
        connection.current?.watch(sensorId);
    }, []);
    return { fleet, status, subscribe, watch };
}

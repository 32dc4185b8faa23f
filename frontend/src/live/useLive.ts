import { useCallback, useEffect, useRef, useState } from 'react';
import { LiveConnection, websocketUrl, type ConnectionStatus, type SocketLike } from './connection';
import { applyMessage, emptyFleet, markReconnecting, watch as watchSensor, type FleetState } from './fleetStore';
import type { LiveFilter } from './protocol';

/** The app's one live connection and the fleet state it maintains. */
export function useLive(apiBase: string) {
  const [fleet, setFleet] = useState<FleetState>(emptyFleet);
  const [status, setStatus] = useState<ConnectionStatus>({ kind: 'connecting', attempt: 1 });
  const connection = useRef<LiveConnection | null>(null);

  useEffect(() => {
    const live = new LiveConnection({
      url: websocketUrl(apiBase, window.location),
      createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
      setTimer: (fn, ms) => window.setTimeout(fn, ms),
      clearTimer: (handle) => window.clearTimeout(handle as number),
      onMessage: (message) => setFleet((state) => applyMessage(state, message)),
      onStatus: setStatus,
      onReconnect: () => setFleet(markReconnecting),
    });
    connection.current = live;
    live.start();
    return () => { live.stop(); connection.current = null; };
  }, [apiBase]);

  const subscribe = useCallback((filter: LiveFilter) => connection.current?.subscribe(filter), []);
  const watch = useCallback((sensorId: string | null) => {
    setFleet((state) => watchSensor(state, sensorId));
    connection.current?.watch(sensorId);
  }, []);

  return { fleet, status, subscribe, watch };
}

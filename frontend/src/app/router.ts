import { useEffect, useState } from 'react';
import { ALERT_SECTIONS, type AlertSection } from '@/features/notifications/api/sections';

export type Route =
  | { page: 'fleet' }
  | { page: 'sensor'; sensorId: string }
  | { page: 'analytics' }
  | { page: 'admin' }
  | { page: 'tags' }
  | { page: 'alerts'; section: AlertSection }
  | { page: 'not-found'; path: string };

/** Client-side routes (the server answers every non-API path with the app). */
export function parseRoute(path: string): Route {
  if (path === '/' || path === '') return { page: 'fleet' };
  if (path === '/analytics') return { page: 'analytics' };
  if (path === '/admin') return { page: 'admin' };
  if (path === '/tags') return { page: 'tags' };
  if (path === '/alerts') return { page: 'alerts', section: 'rules' };
  const alerts = /^\/alerts\/([a-z]+)$/.exec(path);
  if (alerts?.[1] && (ALERT_SECTIONS as readonly string[]).includes(alerts[1])) return { page: 'alerts', section: alerts[1] as AlertSection };
  const sensor = /^\/sensors\/([^/]+)$/.exec(path);
  if (sensor?.[1]) return { page: 'sensor', sensorId: decodeURIComponent(sensor[1]) };
  return { page: 'not-found', path };
}

export function navigate(path: string): void {
  window.history.pushState(null, '', path);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.pathname));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.pathname));
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return route;
}

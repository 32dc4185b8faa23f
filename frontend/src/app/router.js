import { useEffect, useState } from 'react';
/** Client-side routes (the server answers every non-API path with the app). */
export function parseRoute(path) {
    if (path === '/' || path === '')
        return { page: 'fleet' };
    if (path === '/analytics')
        return { page: 'analytics' };
    if (path === '/admin')
        return { page: 'admin' };
    if (path === '/tags')
        return { page: 'tags' };
    const sensor = /^\/sensors\/([^/]+)$/.exec(path);
    if (sensor?.[1])
        return { page: 'sensor', sensorId: decodeURIComponent(sensor[1]) };
    return { page: 'not-found', path };
}
export function navigate(path) {
    window.history.pushState(null, '', path);
    window.dispatchEvent(new PopStateEvent('popstate'));
}
export function useRoute() {
    const [route, setRoute] = useState(() => parseRoute(window.location.pathname));
    useEffect(() => {
        const update = () => setRoute(parseRoute(window.location.pathname));
        window.addEventListener('popstate', update);
        return () => window.removeEventListener('popstate', update);
    }, []);
    return route;
}

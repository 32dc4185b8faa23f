import { jsx as _jsx, jsxs as _jsxs, Fragment as _Fragment } from "react/jsx-runtime";
import { useEffect, useState } from 'react';
import { BarChart, Timeline } from '@/ui/charts';
import { ago, duration, number, time } from '@/ui/format';
import { histogram } from '@/ui/histogram';
import { StateBadge } from '@/ui/StateBadge';
import { stateColour } from '@/ui/states';
import { commandFor, sendSensorCommand } from '../api/sensorCommands';
import { describeSetting, downtimeEpisodes, fetchHeartbeats, fetchHistory } from '../api/sensorData';
/**
 * One sensor: live detail (watched over the websocket), heartbeat timeline, interval histogram,
 * history. With `canOperate`, the retire / reactivate control (hidden for viewers; the server
 * refuses them anyway).
 */
export function SensorPage({ apiBase, sensorId, sensor, liveTransitions, canOperate, onBack }) {
    const [span, setSpan] = useState('hour');
    const [beats, setBeats] = useState([]);
    const [history, setHistory] = useState([]);
    const [error, setError] = useState(null);
    const [now, setNow] = useState(() => Date.now());
    const newestTransition = liveTransitions.find((t) => t.sensorId === sensorId)?.id;
    const lastSeen = sensor?.lastSeen;
    useEffect(() => {
        const controller = new AbortController();
        const since = new Date(Date.now() - (span === 'hour' ? 3600_000 : 86400_000));
        Promise.all([fetchHeartbeats(apiBase, sensorId, since, controller.signal), fetchHistory(apiBase, sensorId, controller.signal)])
            .then(([b, h]) => { setBeats(b.items); setHistory(h.items); setNow(Date.now()); setError(null); })
            .catch((e) => { if (!controller.signal.aborted)
            setError(String(e)); });
        return () => controller.abort();
        // Reload when the sensor beats or changes state (the watch tells us), not on a timer.
    }, [apiBase, sensorId, span, lastSeen, newestTransition]);
    const from = now - (span === 'hour' ? 3600_000 : 86400_000);
    const episodes = downtimeEpisodes(history, now);
    const intervals = beats.map((b) => b.intervalSeconds).filter((v) => typeof v === 'number');
    return (_jsxs("article", { className: "sensor-page", "aria-label": `Sensor ${sensorId}`, children: [_jsx("p", { children: _jsx("a", { href: "/", onClick: (e) => { e.preventDefault(); onBack(); }, children: "\u2190 Fleet" }) }), _jsxs("h2", { children: ["Sensor ", _jsx("code", { children: sensorId }), " ", sensor && _jsx(StateBadge, { state: sensor.status })] }), !sensor ? _jsx("p", { className: "muted", "data-testid": "sensor-unknown", children: "Waiting for this sensor\u2019s detail (unknown sensors stay empty until they beat)." }) : (_jsxs("dl", { className: "settings", "data-testid": "sensor-settings", children: [_jsx("dt", { children: "State since" }), _jsxs("dd", { children: [time(sensor.statusSince), " (", ago(sensor.statusSince, now), ")"] }), _jsx("dt", { children: "Last seen" }), _jsxs("dd", { children: [time(sensor.lastSeen), " (", ago(sensor.lastSeen, now), ")"] }), _jsx("dt", { children: "First seen" }), _jsx("dd", { children: time(sensor.firstSeen) }), _jsx("dt", { children: "Heartbeats" }), _jsx("dd", { "data-testid": "sensor-count", children: number(sensor.heartbeatCount) }), _jsx("dt", { children: "Expected interval" }), _jsx("dd", { "data-testid": "sensor-effective-interval", children: sensor.effective ? describeSetting(sensor.effective.intervalSeconds, sensor.effective.intervalFrom) : '—' }), _jsx("dt", { children: "Grace" }), _jsx("dd", { "data-testid": "sensor-effective-grace", children: sensor.effective ? describeSetting(sensor.effective.graceSeconds, sensor.effective.graceFrom) : '—' }), _jsx("dt", { children: "Mean interval" }), _jsx("dd", { children: sensor.meanIntervalSeconds > 0 ? `${number(sensor.meanIntervalSeconds, 1)} s ± ${number(sensor.intervalStdDevSeconds, 1)}` : '—' }), _jsx("dt", { children: "Lost beats" }), _jsx("dd", { children: number(sensor.lostBeats) }), _jsx("dt", { children: "Tags" }), _jsx("dd", { children: sensor.tags.length ? sensor.tags.join(', ') : 'none' }), sensor.retiredAt && _jsxs(_Fragment, { children: [_jsx("dt", { children: "Retired" }), _jsx("dd", { children: time(sensor.retiredAt) })] })] })), sensor && canOperate && _jsx(SensorControls, { apiBase: apiBase, sensorId: sensorId, status: sensor.status }), error && _jsx("p", { className: "error", children: error }), _jsxs("div", { className: "span-picker", role: "group", "aria-label": "Time span", children: [_jsx("button", { type: "button", "aria-pressed": span === 'hour', onClick: () => setSpan('hour'), children: "Last hour" }), _jsx("button", { type: "button", "aria-pressed": span === 'day', onClick: () => setSpan('day'), children: "Last day" })] }), _jsx(Timeline, { title: `Heartbeats, last ${span}`, times: beats.map((b) => Date.parse(b.receivedAt)), from: from, to: now, bands: episodes.map((e) => ({ from: e.from, to: e.to, colour: stateColour(e.state), label: `${e.state}, ${duration((e.to - e.from) / 1000)}` })) }), _jsx(BarChart, { title: `Interval between heartbeats, last ${span}`, bins: histogram(intervals, 20), xLabel: "seconds", yLabel: "heartbeats" }), _jsxs("section", { "aria-label": "State history", children: [_jsx("h3", { children: "State history (30 days)" }), history.length === 0 ? _jsx("p", { className: "muted", children: "No transitions recorded." }) : (_jsxs("table", { className: "history", children: [_jsx("thead", { children: _jsxs("tr", { children: [_jsx("th", { children: "When" }), _jsx("th", { children: "From" }), _jsx("th", { children: "To" }), _jsx("th", { children: "Reason" })] }) }), _jsx("tbody", { children: [...history].reverse().slice(0, 200).map((c) => (_jsxs("tr", { children: [_jsx("td", { children: time(c.at) }), _jsx("td", { children: _jsx(StateBadge, { state: c.from }) }), _jsx("td", { children: _jsx(StateBadge, { state: c.to }) }), _jsx("td", { children: c.reason })] }, c.id))) })] })), _jsx("h3", { children: "Downtime episodes" }), episodes.length === 0 ? _jsx("p", { className: "muted", children: "None." }) : (_jsx("ul", { children: episodes.slice().reverse().map((e) => (_jsxs("li", { children: [_jsx(StateBadge, { state: e.state }), " ", time(new Date(e.from).toISOString()), ", ", duration((e.to - e.from) / 1000), e.ongoing ? ' (ongoing)' : ''] }, e.from))) }))] })] }));
}
/** The operator's control: one button, for the command this state allows; the watched view shows the result. */
function SensorControls({ apiBase, sensorId, status }) {
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState(null);
    const command = commandFor(status);
    const run = () => {
        setBusy(true);
        sendSensorCommand(apiBase, sensorId, command)
            .then(() => setError(null))
            .catch((e) => setError(e instanceof Error ? e.message : String(e)))
            .finally(() => setBusy(false));
    };
    return (_jsxs("div", { className: "sensor-controls", "data-testid": "sensor-controls", children: [_jsx("button", { type: "button", disabled: busy, onClick: run, "data-testid": `sensor-${command}`, children: command === 'retire' ? 'Retire sensor' : 'Reactivate sensor' }), error && _jsx("span", { className: "error", role: "alert", children: error })] }));
}

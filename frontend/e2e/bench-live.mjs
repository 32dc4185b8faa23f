// Benchmark (a command, not a test): the time from a liveness transition in the server to its
// appearance in the operator's browser, with a large fleet loaded and beating. Prints name: value
// lines. The baseline, measured in the same run, is a bare websocket client in the same browser
// (same feed, no React, no table): the ratio is what the dashboard itself adds.
//
//   npm run bench:live -- [--sensors 100000] [--samples 100] [--rate <background heartbeats/s>]
//
// FLEETHEALTH_DB (an Npgsql connection string of a role that may CREATE DATABASE) names the
// PostgreSQL to use; without it a private one runs in .local/bench-pg for the run. The server is
// the Release build if there is one (FLEETHEALTH_SERVER_DLL overrides), with production defaults
// for the live feed (deltas every 250 ms).
import { join } from 'node:path';
import {
  freePort, freshDatabase, launchChromium, percentile, repo, serverCommand, serverDll, signIn, sleep, startServer, until,
} from './support.mjs';

const arg = (name, fallback) => { const i = process.argv.indexOf(name); return i > 0 ? Number(process.argv[i + 1]) : fallback; };
const sensors = arg('--sensors', 100_000);
const samples = arg('--samples', 100);
// The whole fleet beating at the default 60 s interval: what a real node sees besides the transitions.
const backgroundRate = arg('--rate', Math.round(sensors / 60));
if (!(sensors >= 2 * samples && samples >= 10)) throw new Error('need --samples >= 10 and --sensors >= 2 × samples');

const id = (i) => `bench-${String(i).padStart(6, '0')}`;
const db = await freshDatabase('benchlive', join(repo, '.local', 'bench-pg'));
const dll = serverDll(['Release', 'Debug']);
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
let server = null;
let browser = null;
let background = null;
try {
  const admin = { user: 'bench-admin', password: serverCommand(dll, db.connectionString, ['create-admin', 'bench-admin'], 'admin-password') };
  const key = serverCommand(dll, db.connectionString, ['create-ingest-key', 'bench live'], 'ingest-key');
  server = await startServer(dll, db.connectionString, port, {
    Logging__LogLevel__Default: 'Warning',
    // One key carries the whole fleet here: its bucket must not be what is measured.
    Ingest__RateLimit__PermitsPerSecond: '1000000',
    Ingest__RateLimit__Burst: '1000000',
    // Long intervals: the loaded fleet stays healthy, so the only transitions are the samples'.
    Liveness__DefaultIntervalSeconds: '3600',
  });
  const post = (path, body) => fetch(base + path, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  await until(async () => (await post('/api/v1/heartbeats', [])).status === 400, 'the server to accept the new ingest key');

  // The fleet, over HTTP as gateways send it: batches of 1000, four at a time.
  const loadStarted = Date.now();
  for (let first = 0; first < sensors; first += 4000) {
    await Promise.all([0, 1000, 2000, 3000].filter((o) => first + o < sensors).map(async (o) => {
      const batch = Array.from({ length: Math.min(1000, sensors - first - o) }, (_, k) => ({ sensorId: id(first + o + k) }));
      const answer = await post('/api/v1/heartbeats', batch);
      if (answer.status !== 202) throw new Error(`loading the fleet: a batch answered ${answer.status}`);
    }));
  }
  await until(() => Number(db.query('SELECT count(*) FROM sensors')) === sensors, `${sensors} sensors in the read model`, 300_000);
  console.error(`bench-live: ${sensors} sensors loaded in ${((Date.now() - loadStarted) / 1000).toFixed(1)} s`);

  browser = await launchChromium();
  const dashboard = await browser.context.newPage();
  await dashboard.goto(base + '/');
  await signIn(dashboard, admin);
  const snapshotStarted = Date.now();
  await until(async () => Number((await dashboard.textContent('[data-testid=row-count]')).replace(/[^0-9]/g, '')) === sensors, `${sensors} rows in the table`, 120_000);
  const snapshotMs = Date.now() - snapshotStarted;
  // Dashboard: when a transition's row is in the live feed's DOM (checked on every DOM change; a
  // delta can bring several transitions at once, and the feed's list appears with its first).
  await dashboard.evaluate(() => {
    window.benchSeen = {};
    new MutationObserver(() => {
      const now = Date.now();
      for (const link of document.querySelectorAll('[data-testid=transition-feed] li a')) {
        const sensor = link.textContent;
        if (sensor && !(sensor in window.benchSeen)) window.benchSeen[sensor] = now;
      }
    }).observe(document.body, { childList: true, subtree: true });
  });
  // Baseline: a bare client of the same feed in the same browser, filtered to nothing so that only
  // transitions (which are fleet-wide) reach it, parsed and timed the moment its frame arrives.
  const bare = await browser.context.newPage();
  await bare.goto(base + '/healthz');
  await bare.evaluate((url) => new Promise((resolve, reject) => {
    window.benchSeen = {};
    const socket = new WebSocket(url);
    socket.onmessage = (e) => {
      const now = Date.now();
      const message = JSON.parse(e.data);
      if (message.type === 'snapshot') resolve();
      for (const t of message.transitions ?? []) if (!(t.sensorId in window.benchSeen)) window.benchSeen[t.sensorId] = now;
    };
    socket.onerror = () => reject(new Error('the bare websocket failed'));
  }), `ws://127.0.0.1:${port}/ws?text=no-sensor-has-this-id`);

  // The rest of the fleet keeps beating meanwhile (the first half of the ids; samples use the second).
  let backgroundSent = 0;
  const backgroundStarted = Date.now();
  const perTick = Math.max(1, Math.round(backgroundRate / 10));
  background = setInterval(() => {
    const batch = Array.from({ length: perTick }, () => ({ sensorId: id(Math.floor(Math.random() * (sensors / 2))) }));
    backgroundSent += batch.length;
    post('/api/v1/heartbeats', batch).catch(() => {});
  }, 100);

  // Each sample: one sensor reports a fault (healthy → fault at once, timed at the server's receipt).
  const sampled = [];
  for (let i = 0; i < samples; i++) {
    const sensor = id(sensors - 1 - i);
    const answer = await post(`/api/v1/heartbeats/${sensor}`, { status: 'fault' });
    if (answer.status !== 202) throw new Error(`a sample heartbeat answered ${answer.status}`);
    sampled.push({ sensor, at: Date.parse((await answer.json()).receivedAt) });
    await sleep(100 + Math.random() * 200); // off the 250 ms batch period, so samples land all over it
  }

  const seen = async (page) => page.evaluate(() => window.benchSeen);
  await until(async () => {
    const [d, b] = [await seen(dashboard), await seen(bare)];
    return sampled.every((s) => s.sensor in d && s.sensor in b);
  }, 'every sampled transition in both clients', 15_000).catch(() => {});
  clearInterval(background);
  const backgroundPerSecond = backgroundSent / ((Date.now() - backgroundStarted) / 1000);
  const [onDashboard, onBare] = [await seen(dashboard), await seen(bare)];
  const latencies = (seenBy) => sampled.filter((s) => s.sensor in seenBy).map((s) => seenBy[s.sensor] - s.at).sort((a, b) => a - b);
  const browserMs = latencies(onDashboard);
  const bareMs = latencies(onBare);
  await dashboard.screenshot({ path: join(repo, 'test-output', 'bench-live.png') }).catch(() => {});

  const line = (name, value) => console.log(`${name}: ${value}`);
  line('live_sensors', sensors);
  line('live_background_hb_per_s', Math.round(backgroundPerSecond));
  line('live_snapshot_ms', snapshotMs);
  line('live_samples', `${browserMs.length}/${samples}`);
  line('live_browser_p50_ms', percentile(browserMs, 0.5));
  line('live_browser_p99_ms', percentile(browserMs, 0.99));
  line('live_bare_ws_p50_ms', percentile(bareMs, 0.5));
  line('live_bare_ws_p99_ms', percentile(bareMs, 0.99));
  line('live_browser_vs_bare_p99', (percentile(browserMs, 0.99) / percentile(bareMs, 0.99)).toFixed(2));
  if (browserMs.length < samples || bareMs.length < samples) process.exitCode = 1;
} finally {
  if (background) clearInterval(background);
  await browser?.close();
  if (server) {
    if (process.exitCode) console.error(server.log().split('\n').slice(-30).join('\n'));
    await server.kill();
  }
  db.drop();
}

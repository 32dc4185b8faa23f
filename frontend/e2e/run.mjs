// End-to-end: the real built server (child process) over a fresh database of a real PostgreSQL,
// Debian's chromium driven by playwright-core, heartbeats posted over HTTP. Prints one line per
// journey and ends with "e2e: N passed, N failed" (scripts/test.sh counts it).
//
//   FLEETHEALTH_DB   Npgsql connection string of a role that may CREATE DATABASE (scripts/test.sh sets it)
//   FLEETHEALTH_SERVER_DLL   the built FleetHealth.Server.dll (default: backend/…/bin/Debug, then Release)
//   CHROMIUM         the browser (default /usr/bin/chromium); never downloaded
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const out = join(repo, 'test-output');
mkdirSync(out, { recursive: true });

function parseNpgsql(text) {
  const map = {};
  for (const part of text.split(';')) {
    const i = part.indexOf('=');
    if (i > 0) map[part.slice(0, i).trim().toLowerCase().replace(/\s+/g, '')] = part.slice(i + 1).trim();
  }
  return {
    host: map.host ?? map.server ?? '127.0.0.1', port: map.port ?? '5432', user: map.username ?? map.userid ?? map.user ?? 'postgres',
    password: map.password, database: map.database ?? map.db ?? 'postgres',
  };
}

const admin = process.env.FLEETHEALTH_DB;
if (!admin) { console.error('e2e: FLEETHEALTH_DB is not set (run through scripts/test.sh)'); console.log('e2e: 0 passed, 1 failed'); process.exit(1); }
const pg = parseNpgsql(admin);
const dbName = `e2e_${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

function psql(database, sql) {
  const result = spawnSync('psql', ['-v', 'ON_ERROR_STOP=1', '-q', '-h', pg.host, '-p', pg.port, '-U', pg.user, '-d', database, '-c', sql],
    { env: { ...process.env, PGPASSWORD: pg.password ?? '' }, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`psql failed: ${result.stderr}`);
  return result.stdout;
}

const freePort = () => new Promise((res) => { const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => res(port)); }); });

function serverDll() {
  if (process.env.FLEETHEALTH_SERVER_DLL) return process.env.FLEETHEALTH_SERVER_DLL;
  for (const config of ['Debug', 'Release']) {
    const dll = join(repo, 'backend', 'FleetHealth.Server', 'bin', config, 'net10.0', 'FleetHealth.Server.dll');
    if (existsSync(dll)) return dll;
  }
  throw new Error('Build the server first (dotnet build FleetHealth.sln)');
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(probe, what, ms = 15000) {
  const deadline = Date.now() + ms;
  let delay = 20;
  for (;;) {
    try { const value = await probe(); if (value) return value; } catch { /* not yet */ }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(delay);
    delay = Math.min(delay * 2, 250);
  }
}

// A serial line for the server to read: a pseudo-terminal pair from socat (CI installs it).
const ptyDir = mkdtempSync(join(tmpdir(), 'fleethealth-pty-'));
const socat = spawn('socat', [`pty,raw,echo=0,link=${join(ptyDir, 'server')}`, `pty,raw,echo=0,link=${join(ptyDir, 'sensor')}`], { stdio: 'ignore' });

let server = null;
let serverLog = '';
async function startServer(port) {
  const dll = serverDll();
  const child = spawn('dotnet', [dll, '--contentRoot', dirname(dll), '--urls', `http://127.0.0.1:${port}`], {
    env: {
      ...process.env,
      Database__ConnectionString: `Host=${pg.host};Port=${pg.port};Username=${pg.user};${pg.password ? `Password=${pg.password};` : ''}Database=${dbName}`,
      Dashboard__Root: join(repo, 'frontend', 'dist'),
      Live__BatchMilliseconds: '100',
      Serial__Ports__0__Device: join(ptyDir, 'server'),
      Serial__Ports__0__Baud: '115200',
      // The seeded fleet expects a beat every 10 minutes, so it stays healthy for the whole run;
      // the one sensor told to expect a beat every second goes late, then stale after 12 s.
      Liveness__DefaultIntervalSeconds: '600',
      Liveness__StaleAfterSeconds: '12',
      Live__CountsMilliseconds: '200',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d) => { serverLog += d; });
  child.stderr.on('data', (d) => { serverLog += d; });
  server = child;
  await until(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok, 'the server to be ready', 30000);
  await until(async () => (await (await fetch(`http://127.0.0.1:${port}/api/v1/live`)).json()).listening, 'the change feed to listen', 15000);
}
function killServer() {
  if (server && server.exitCode === null) server.kill('SIGKILL');
  const dead = server;
  server = null;
  return dead ? new Promise((r) => (dead.exitCode !== null ? r() : dead.once('exit', r))) : Promise.resolve();
}

const results = [];
async function journey(name, fn) {
  const started = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`  ✓ ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    results.push({ name, ok: false });
    console.log(`  ✗ ${name}: ${error?.message ?? error}`);
  }
}

const started = Date.now();
let context = null;
let userDir = null;
try {
  if (!existsSync(join(repo, 'frontend', 'dist', 'index.html'))) throw new Error('Build the dashboard first (npm run build)');
  await until(() => existsSync(join(ptyDir, 'server')) && existsSync(join(ptyDir, 'sensor')), 'socat to make the pseudo-terminal pair', 5000);
  psql(pg.database, `CREATE DATABASE "${dbName}"`);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  await startServer(port);
  const beat = (id) => fetch(`${base}/api/v1/heartbeats/${id}`, { method: 'POST' });

  // A small fleet, over HTTP as sensors send it: 20 pumps and 10 valves (one batch).
  const seed = [...Array.from({ length: 20 }, (_, i) => `e2e-pump-${String(i + 1).padStart(2, '0')}`), ...Array.from({ length: 10 }, (_, i) => `e2e-valve-${String(i + 1).padStart(2, '0')}`)];
  const batch = await fetch(`${base}/api/v1/heartbeats`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(seed.map((sensorId) => ({ sensorId }))) });
  if (batch.status !== 202) throw new Error(`seeding answered ${batch.status}`);
  // Tags through the operator API, as an operator sets them; the projection carries them to the read model.
  for (let i = 1; i <= 9; i++) {
    const put = await fetch(`${base}/api/v1/sensors/e2e-pump-0${i}/settings`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tags: ['site:north'] }) });
    if (put.status !== 200) throw new Error(`settings answered ${put.status}`);
  }
  await until(async () => (await (await fetch(`${base}/api/v1/sensors?tag=site:north`)).json()).items.length === 9, 'the tags in the read model');
  await until(async () => (await (await fetch(`${base}/api/v1/sensors?q=e2e-&limit=1000`)).json()).items.length === 30, 'the fleet in the read model');

  userDir = mkdtempSync(join(tmpdir(), 'fleethealth-chromium-'));
  context = await chromium.launchPersistentContext(userDir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1400, height: 1000 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.setDefaultTimeout(10000);
  const rowCount = async () => Number((await page.textContent('[data-testid=row-count]')).replace(/[^0-9]/g, ''));

  await journey('the fleet overview shows the fleet live', async () => {
    await page.goto(base + '/');
    await page.waitForSelector('[data-connection="live"]');
    await until(async () => (await page.textContent('[data-testid=count-total] .value')).trim() === '30', 'a total of 30');
    await until(async () => (await page.textContent('[data-testid=count-healthy] .value')).trim() === '30', '30 healthy sensors');
    await until(async () => (await rowCount()) === 30, '30 rows');
    await until(async () => !(await page.textContent('[data-testid=mean-interval] .value')).includes('…'), 'analytics tiles');
    await page.screenshot({ path: join(out, 'e2e-fleet.png'), fullPage: true });
  });

  await journey('the table filters by text, tag and state', async () => {
    await page.fill('[data-testid=filter-text]', 'valve');
    await until(async () => (await rowCount()) === 10, '10 valves');
    await page.fill('[data-testid=filter-text]', '');
    await page.fill('[data-testid=filter-tag]', 'site:north');
    await until(async () => (await rowCount()) === 9, '9 pumps tagged site:north');
    await page.fill('[data-testid=filter-tag]', '');
    await page.selectOption('[data-testid=filter-state]', 'healthy');
    await until(async () => (await rowCount()) === 30, '30 healthy sensors');
    await page.screenshot({ path: join(out, 'e2e-filtered.png'), fullPage: true });
    await page.selectOption('[data-testid=filter-state]', '');
    await until(async () => (await rowCount()) === 30, 'all 30 again');
  });

  await journey('a new sensor appears live over the websocket', async () => {
    const before = Date.now();
    const post = await beat('e2e-live-new');
    const acked = Date.now();
    if (post.status !== 202) throw new Error(`heartbeat answered ${post.status}`);
    await page.waitForSelector('[data-sensor="e2e-live-new"]', { timeout: 5000 });
    console.log(`    e2e_live_latency_ms: ${Date.now() - acked} (ack ${acked - before} ms; batches every 100 ms)`);
    await until(async () => (await page.textContent('[data-testid=count-total] .value')).trim() === '31', 'the count to follow');
  });

  await journey('a sensor that stops beating turns late, then stale, on its own timer', async () => {
    await beat('e2e-quiet');
    const put = await fetch(`${base}/api/v1/sensors/e2e-quiet/settings`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ intervalSeconds: 1, graceSeconds: 0 }) });
    if (put.status !== 200) throw new Error(`settings answered ${put.status}`);
    await page.selectOption('[data-testid=filter-state]', 'late');
    await until(async () => (await page.isVisible('[data-sensor="e2e-quiet"] [data-state="late"]')), 'the silent sensor shown late', 15000);
    await page.waitForSelector('[data-testid=transition-feed] li:has-text("e2e-quiet")', { timeout: 5000 });
    await page.screenshot({ path: join(out, 'e2e-late.png'), fullPage: true });
    await page.selectOption('[data-testid=filter-state]', 'stale');
    await until(async () => (await page.isVisible('[data-sensor="e2e-quiet"] [data-state="stale"]')), 'the silent sensor shown stale', 30000);
    await page.screenshot({ path: join(out, 'e2e-stale.png'), fullPage: true });
    await page.selectOption('[data-testid=filter-state]', '');
  });

  await journey('a row opens the sensor page, which follows the sensor live', async () => {
    await page.fill('[data-testid=filter-text]', 'pump-01');
    await page.click('[data-sensor="e2e-pump-01"]');
    await until(async () => new URL(page.url()).pathname === '/sensors/e2e-pump-01', 'the sensor URL');
    await page.waitForSelector('[data-testid=sensor-settings]');
    await until(async () => (await page.textContent('[data-testid=sensor-count]')).trim() === '1', 'one heartbeat');
    await beat('e2e-pump-01');
    await until(async () => (await page.textContent('[data-testid=sensor-count]')).trim() === '2', 'the second heartbeat, live');
    await page.screenshot({ path: join(out, 'e2e-sensor.png'), fullPage: true });
  });

  await journey('the fleet page shows the serial port and its counters', async () => {
    await page.click('nav >> text=Fleet');
    await until(async () => (await (await fetch(`${base}/api/v1/serial/ports`)).json()).items[0]?.connected, 'the serial port to open');
    writeFileSync(join(ptyDir, 'sensor'), 'HB e2e-uart-1 seq=1 status=ok\nHB e2e-uart-1 seq=2*00\n\u0001garbage\n');
    await page.waitForSelector('[data-testid=serial-ports] >> text=connected', { timeout: 10000 });
    await until(async () => (await page.textContent('[data-testid=serial-lines-ok]')).trim() === '1', 'one line counted ok', 15000);
    await until(async () => (await page.textContent('[data-testid=serial-dropped]')).trim() === '2', 'a bad checksum and garbage counted as dropped', 15000);
    await page.waitForSelector('[data-sensor="e2e-uart-1"]', { timeout: 10000 });
    await page.screenshot({ path: join(out, 'e2e-serial.png'), fullPage: true });
  });

  await journey('the fleet page shows the cluster: its members and their shard counts', async () => {
    await page.click('nav >> text=Fleet');
    const cluster = await (await fetch(`${base}/api/v1/cluster`)).json();
    await page.waitForSelector(`[data-testid=cluster] [data-node="${cluster.nodeId}"] >> text=(this node)`, { timeout: 10000 });
    const shards = (await page.textContent(`[data-node="${cluster.nodeId}"] [data-testid=cluster-shards]`)).trim();
    if (shards !== String(cluster.shards)) throw new Error(`a lone node owns all ${cluster.shards} shards; the page shows ${shards}`);
    const state = (await page.textContent(`[data-node="${cluster.nodeId}"] [data-testid=cluster-state]`)).trim();
    if (state !== 'up') throw new Error(`the node shows as ${state}`);
    await page.waitForSelector(`[data-testid=cluster-events] >> text=${cluster.nodeId} took ${cluster.shards} shards`, { timeout: 10000 });
    await page.screenshot({ path: join(out, 'e2e-cluster.png'), fullPage: true });
  });

  await journey('the analytics page charts the named queries', async () => {
    await page.click('nav >> text=Analytics');
    await page.waitForSelector('figure[class=chart] >> text=Survival');
    await page.waitForSelector('svg[aria-label^="Availability"]');
    await page.screenshot({ path: join(out, 'e2e-analytics.png'), fullPage: true });
  });

  await journey('the dashboard reconnects by itself and resyncs after a server crash', async () => {
    await page.click('nav >> text=Fleet');
    await page.fill('[data-testid=filter-text]', '');
    await page.waitForSelector('[data-connection="live"]');
    await killServer();
    await page.waitForSelector('[data-connection="reconnecting"]', { timeout: 10000 });
    await page.screenshot({ path: join(out, 'e2e-reconnecting.png'), fullPage: true });
    // Written while no server runs: only a fresh snapshot can bring it.
    psql(dbName, "INSERT INTO sensors (sensor_id, status, status_since) VALUES ('e2e-while-down', 'dead', now())");
    await startServer(port);
    await page.waitForSelector('[data-connection="live"]', { timeout: 20000 });
    await page.waitForSelector('[data-sensor="e2e-while-down"]', { timeout: 10000 });
  });

  if (pageErrors.length > 0) {
    results.push({ name: 'no page errors', ok: false });
    console.log(`  ✗ page errors: ${pageErrors.join(' | ')}`);
  }
} catch (error) {
  results.push({ name: 'setup', ok: false });
  console.log(`  ✗ setup: ${error?.message ?? error}`);
} finally {
  await context?.close().catch(() => {});
  if (userDir) rmSync(userDir, { recursive: true, force: true });
  await killServer();
  socat.kill();
  rmSync(ptyDir, { recursive: true, force: true });
  try { psql(pg.database, `DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`); } catch { /* best effort */ }
}

const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
if (failed > 0 && serverLog) console.log(`--- server log (tail) ---\n${serverLog.split('\n').slice(-30).join('\n')}`);
console.log(`e2e: ${passed} passed, ${failed} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
process.exit(failed > 0 ? 1 : 0);

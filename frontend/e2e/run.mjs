// End-to-end: the real built server (child process) over a fresh database of a real PostgreSQL,
// Debian's chromium driven by playwright-core, heartbeats posted over HTTP with an ingest key.
// Every journey opens a fresh page and signs in through the login form first. The first admin and
// the seeding key come from the server's own bootstrap commands (create-admin, create-ingest-key).
// Prints one line per journey and ends with "e2e: N passed, N failed" (scripts/test.sh counts it).
//
//   FLEETHEALTH_DB   Npgsql connection string of a role that may CREATE DATABASE (scripts/test.sh sets it)
//   FLEETHEALTH_SERVER_DLL   the built FleetHealth.Server.dll (default: backend/…/bin/Debug, then Release)
//   CHROMIUM         the browser (default /usr/bin/chromium); never downloaded
//   FLEETHEALTH_E2E_ONLY   run only the journeys whose name contains one of these |-separated texts (setup always runs)
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  download, freePort, freshDatabase, launchChromium, operatorFetch, parseCsv, repo, serverCommand, serverDll, signIn, startServer, until,
} from './support.mjs';

const out = join(repo, 'test-output');
mkdirSync(out, { recursive: true });

if (!process.env.FLEETHEALTH_DB) { console.error('e2e: FLEETHEALTH_DB is not set (run through scripts/test.sh)'); console.log('e2e: 0 passed, 1 failed'); process.exit(1); }

// A serial line for the server to read: a pseudo-terminal pair from socat (CI installs it).
const ptyDir = mkdtempSync(join(tmpdir(), 'fleethealth-pty-'));
const socat = spawn('socat', [`pty,raw,echo=0,link=${join(ptyDir, 'server')}`, `pty,raw,echo=0,link=${join(ptyDir, 'sensor')}`], { stdio: 'ignore' });

const serverSettings = {
  Live__BatchMilliseconds: '100',
  Serial__Ports__0__Device: join(ptyDir, 'server'),
  Serial__Ports__0__Baud: '115200',
  // The seeded fleet expects a beat every 10 minutes, so it stays healthy for the whole run;
  // the one sensor told to expect a beat every second goes late, then stale after 12 s.
  Liveness__DefaultIntervalSeconds: '600',
  Liveness__StaleAfterSeconds: '12',
  Live__CountsMilliseconds: '200',
  // Open websockets' sessions are looked up every second, so an ended session is cut quickly.
  Live__SessionCheckSeconds: '1',
  // The alerts journey's webhook receiver listens on loopback, which channels may not reach by default.
  Notifications__AllowedTargets__0: '127.0.0.1',
  Notifications__PollMilliseconds: '100',
};

let db = null;
let server = null;
const killServer = async () => { await server?.kill(); };

const results = [];
const pageErrors = [];
// Content security policy violations on the dashboard's own pages, as the page reports them
// (securitypolicyviolation events, through a binding that outlives navigations) and as chromium
// logs them to the console; pages of other origins (the hostile ones below) are not counted.
const cspViolations = [];
const onDashboard = (url) => url.startsWith(base + '/') && !url.startsWith(base + '/api/');
let context = null;
const only = (process.env.FLEETHEALTH_E2E_ONLY ?? '').split('|');

/**
 * One journey: a fresh page without cookies, signed in as `who` through the login form (unless
 * `who` is null: the journey signs in itself), then `fn(page)`. The page is closed afterwards.
 */
async function journey(name, who, fn) {
  if (!only.some((text) => name.includes(text))) return;
  const started = Date.now();
  let page = null;
  try {
    await context.clearCookies();
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(`${name}: ${e.message}`));
    page.on('console', (m) => {
      if (/content security policy/i.test(m.text()) && onDashboard(page.url())) cspViolations.push(`${name}: ${m.text()}`);
    });
    page.setDefaultTimeout(10000);
    await page.goto(base + '/');
    if (who) await signIn(page, who);
    await fn(page);
    results.push({ name, ok: true });
    console.log(`  ✓ ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    results.push({ name, ok: false });
    console.log(`  ✗ ${name}: ${error?.message ?? error}`);
    if (page) await page.screenshot({ path: join(out, `e2e-failed-${results.length}.png`), fullPage: true }).catch(() => {});
  } finally {
    await page?.close().catch(() => {});
  }
}

let base = '';

/**
 * Serves `html` from another origin (a new loopback port: the same site as the dashboard, so
 * SameSite=Strict lets the browser send the session cookie), opens it in a page of the same
 * browser (blank: `fn` navigates it, so it can listen first) and runs `fn(page, url)`; the page
 * and the server are closed afterwards.
 */
async function withHostilePage(html, fn) {
  const hostile = createServer((_, res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end(`<!doctype html><title>hostile</title>${html}`); });
  const port = await freePort();
  await new Promise((r) => hostile.listen(port, '127.0.0.1', r));
  const page = await context.newPage();
  try {
    await fn(page, `http://127.0.0.1:${port}/`);
  } finally {
    await page.close().catch(() => {});
    hostile.closeAllConnections();
    await new Promise((r) => hostile.close(r));
  }
}

const started = Date.now();
let chromium = null;
try {
  if (!existsSync(join(repo, 'frontend', 'dist', 'index.html'))) throw new Error('Build the dashboard first (npm run build)');
  await until(() => existsSync(join(ptyDir, 'server')) && existsSync(join(ptyDir, 'sensor')), 'socat to make the pseudo-terminal pair', 5000);
  db = await freshDatabase('e2e');
  const dll = serverDll();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  // The bootstrap commands migrate the new database themselves, before any server runs.
  const admin = { user: 'e2e-admin', password: serverCommand(dll, db.connectionString, ['create-admin', 'e2e-admin'], 'admin-password') };
  const seedKey = serverCommand(dll, db.connectionString, ['create-ingest-key', 'e2e seeding'], 'ingest-key');
  server = await startServer(dll, db.connectionString, port, serverSettings);
  const asAdmin = await operatorFetch(base, admin);
  await until(async () => (await (await asAdmin('/api/v1/live')).json()).listening, 'the change feed to listen', 15000);
  const beatWith = (key, id) => fetch(`${base}/api/v1/heartbeats/${id}`, { method: 'POST', headers: { authorization: `Bearer ${key}` } });
  const beat = (id) => beatWith(seedKey, id);
  const viewer = { user: 'e2e-viewer', password: 'viewer passphrase 1' };
  const operator = { user: 'e2e-operator', password: 'operator passphrase 1' };
  for (const [who, role] of [[viewer, 'viewer'], [operator, 'operator']]) {
    const created = await asAdmin('/api/v1/operators', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...who, role }) });
    if (created.status !== 201) throw new Error(`creating the ${role} answered ${created.status}`);
  }

  // A small fleet, over HTTP as sensors send it: 20 pumps and 10 valves (one batch).
  const seed = [...Array.from({ length: 20 }, (_, i) => `e2e-pump-${String(i + 1).padStart(2, '0')}`), ...Array.from({ length: 10 }, (_, i) => `e2e-valve-${String(i + 1).padStart(2, '0')}`)];
  const batch = await fetch(`${base}/api/v1/heartbeats`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${seedKey}` }, body: JSON.stringify(seed.map((sensorId) => ({ sensorId }))) });
  if (batch.status !== 202) throw new Error(`seeding answered ${batch.status}`);
  // Tags through the operator API, as an operator sets them; the projection carries them to the read model.
  for (let i = 1; i <= 9; i++) {
    const put = await asAdmin(`/api/v1/sensors/e2e-pump-0${i}/settings`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tags: ['site:north'] }) });
    if (put.status !== 200) throw new Error(`settings answered ${put.status}`);
  }
  await until(async () => (await (await asAdmin('/api/v1/sensors?tag=site:north')).json()).items.length === 9, 'the tags in the read model');
  await until(async () => (await (await asAdmin('/api/v1/sensors?q=e2e-&limit=1000')).json()).items.length === 30, 'the fleet in the read model');

  chromium = await launchChromium();
  context = chromium.context;
  await context.exposeBinding('__reportCspViolation', ({ page }, text) => { if (onDashboard(page.url())) cspViolations.push(text); });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__reportCspViolation(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} on ${e.documentURI}`);
    });
  });
  const rowCount = async (page) => Number((await page.textContent('[data-testid=row-count]')).replace(/[^0-9]/g, ''));

  await journey('a wrong password is refused and nothing of the fleet shows', null, async (page) => {
    await page.fill('[data-testid=login-user]', admin.user);
    await page.fill('[data-testid=login-password]', 'not the password');
    await page.click('[data-testid=login-submit]');
    await until(async () => (await page.textContent('[data-testid=login-error]'))?.includes('Wrong user name or password'), 'the refusal');
    if (await page.isVisible('[data-testid=row-count]')) throw new Error('the fleet shows without a session');
    if ((await context.cookies()).some((c) => c.name === 'fh_session')) throw new Error('a session cookie was set');
    await page.screenshot({ path: join(out, 'e2e-login-refused.png'), fullPage: true });
    await signIn(page, admin);
    await page.click('[data-testid=logout]');
    await page.waitForSelector('[data-testid=login-form]');
    const me = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).status);
    if (me !== 401) throw new Error(`after signing out /me answered ${me}`);
  });

  await journey('the dashboard runs under its content security policy and refuses to be framed', null, async (page) => {
    const response = await page.goto(base + '/');
    const policy = response.headers()['content-security-policy'] ?? '';
    for (const directive of ["default-src 'self'", "script-src 'self'", "frame-ancestors 'none'"]) {
      if (!policy.includes(directive)) throw new Error(`the dashboard's policy lacks ${directive}: ${policy}`);
    }
    await signIn(page, admin);
    // Every page of the app, with the live feed (connect-src) open.
    await page.waitForSelector('[data-connection="live"]');
    for (const [link, ready] of [['Analytics', 'svg[aria-label^="Availability"]'], ['Tags', '[data-testid=tag-settings]'], ['Admin', '[data-testid=key-name]'], ['Fleet', '[data-testid=row-count]']]) {
      await page.click(`nav >> text=${link}`);
      await page.waitForSelector(ready);
    }
    await page.goto(base + '/sensors/e2e-pump-01');
    await page.waitForSelector('[data-testid=sensor-settings]');
    await page.waitForSelector('[data-connection="live"]');
    if (cspViolations.length > 0) throw new Error(`policy violations: ${cspViolations.join(' | ')}`);

    // A page of another origin framing the dashboard: chromium refuses it (frame-ancestors 'none').
    await withHostilePage(`<iframe src="${base}/" width="800" height="600"></iframe>`, async (hostile, url) => {
      const refusals = [];
      hostile.on('console', (m) => { if (m.text().includes('frame-ancestors')) refusals.push(m.text()); });
      await hostile.goto(url);
      await until(() => refusals.length > 0, 'chromium to refuse the frame');
      const frame = hostile.frames().find((f) => f !== hostile.mainFrame());
      if (frame && (await frame.$('[data-testid=login-form], [data-testid=current-user]'))) throw new Error('the dashboard rendered inside a foreign frame');
    });
  });

  await journey('a page on another port cannot make a signed-in admin\'s browser create an admin or retire a sensor', admin, async () => {
    const forged = { user: 'e2e-forged-admin', role: 'admin', password: 'forged passphrase 1' };
    // Exactly what the issue saw work: a no-cors fetch with unlabelled JSON, and a plain form post.
    await withHostilePage(`
      <form id="retire" method="POST" action="${base}/api/v1/sensors/e2e-pump-04/retire"></form>
      <script>
        fetch(${JSON.stringify(base + '/api/v1/operators')}, { method: 'POST', mode: 'no-cors', credentials: 'include', body: ${JSON.stringify(JSON.stringify(forged))} })
          .then(() => { document.title = 'fetched'; }, () => { document.title = 'fetch failed'; });
      </script>`, async (hostile, url) => {
      await hostile.goto(url);
      await until(async () => (await hostile.title()).startsWith('fetch'), 'the forged fetch to be answered');
      await Promise.all([hostile.waitForURL(`${base}/api/v1/sensors/e2e-pump-04/retire`), hostile.evaluate(() => document.getElementById('retire').submit())]);
      const answer = await hostile.textContent('body');
      if (!answer.includes('Cross-origin request refused')) throw new Error(`the forged form post was answered ${answer.slice(0, 200)}`);
    });
    const operators = await (await asAdmin('/api/v1/operators')).json();
    if (operators.items.some((o) => o.user === forged.user)) throw new Error('the forged fetch created an admin');
    const sensor = await (await asAdmin('/api/v1/sensors/e2e-pump-04')).json();
    if (sensor.status === 'retired') throw new Error('the forged form retired the sensor');
    const log = server.log();
    for (const path of ['/api/v1/operators', '/api/v1/sensors/e2e-pump-04/retire']) {
      if (!log.includes(`Refused POST ${path} from another origin`)) throw new Error(`the server did not see (and refuse) the forged POST ${path}`);
    }
  });

  await journey('the fleet overview shows the fleet live', admin, async (page) => {
    await page.waitForSelector('[data-connection="live"]');
    await until(async () => (await page.textContent('[data-testid=count-total] .value')).trim() === '30', 'a total of 30');
    await until(async () => (await page.textContent('[data-testid=count-healthy] .value')).trim() === '30', '30 healthy sensors');
    await until(async () => (await rowCount(page)) === 30, '30 rows');
    await until(async () => !(await page.textContent('[data-testid=mean-interval] .value')).includes('…'), 'analytics tiles');
    await page.screenshot({ path: join(out, 'e2e-fleet.png'), fullPage: true });
  });

  await journey('the fleet page charts the states over time and lists tags worst first; a tag filters the table', admin, async (page) => {
    await page.waitForSelector('[data-connection="live"]');
    // The seeded fleet is in the chart's latest bucket, healthy.
    await page.waitForSelector('[data-testid=states-chart] svg path[data-state="healthy"]');
    await until(async () => /healthy \d+/.test(await page.textContent('[data-testid=states-chart] [data-legend="healthy"]')), 'the legend to count the healthy sensors');
    await page.click('[data-testid=chart-7d]');
    await until(async () => (await page.textContent('[data-testid=states-chart] figcaption')).includes('7 days'), 'the 7-day chart');
    await page.waitForSelector('[data-testid=states-chart] svg path[data-state="healthy"]');
    await page.click('[data-testid=chart-24h]');
    const tagRow = '[data-testid=tag-overview] tr[data-tag="site:north"]';
    await page.waitForSelector(tagRow);
    await until(async () => (await page.textContent(`${tagRow} td:nth-child(2)`)).trim() === '9', 'site:north with its 9 sensors');
    await page.screenshot({ path: join(out, 'e2e-glance.png'), fullPage: true });
    await page.click(tagRow);
    await until(async () => (await page.inputValue('[data-testid=filter-tag]')) === 'site:north', 'the tag filter set from the overview');
    await until(async () => (await rowCount(page)) === 9, 'the table filtered to the 9 sensors of site:north');
    await page.click(tagRow); // again: every sensor
    await until(async () => (await page.inputValue('[data-testid=filter-tag]')) === '', 'the tag filter cleared');
  });

  await journey('the table filters by text, tag and state', admin, async (page) => {
    await page.waitForSelector('[data-connection="live"]');
    await page.fill('[data-testid=filter-text]', 'valve');
    await until(async () => (await rowCount(page)) === 10, '10 valves');
    await page.fill('[data-testid=filter-text]', '');
    await page.fill('[data-testid=filter-tag]', 'site:north');
    await until(async () => (await rowCount(page)) === 9, '9 pumps tagged site:north');
    // The download button takes the filters in force: the file holds the same 9 sensors.
    await until(async () => (await page.getAttribute('[data-testid=download-sensors]', 'href')).includes('tag=site%3Anorth'), 'the download to follow the filter');
    const file = await download(page, '[data-testid=download-sensors]');
    const csv = parseCsv(file.text);
    if (file.name !== 'sensors.csv') throw new Error(`downloaded ${file.name}`);
    if (csv.header[0] !== 'sensor_id' || !csv.header.includes('tags')) throw new Error(`header ${csv.header.join(',')}`);
    const ids = csv.rows.map((r) => r.sensor_id).join(' ');
    if (ids !== Array.from({ length: 9 }, (_, i) => `e2e-pump-0${i + 1}`).join(' ')) throw new Error(`downloaded sensors ${ids}`);
    if (!csv.rows.every((r) => r.tags === 'site:north' && r.status === 'healthy')) throw new Error(`downloaded rows ${JSON.stringify(csv.rows[0])}`);
    await page.fill('[data-testid=filter-tag]', '');
    await page.selectOption('[data-testid=filter-state]', 'healthy');
    await until(async () => (await rowCount(page)) === 30, '30 healthy sensors');
    await page.screenshot({ path: join(out, 'e2e-filtered.png'), fullPage: true });
    await page.selectOption('[data-testid=filter-state]', '');
    await until(async () => (await rowCount(page)) === 30, 'all 30 again');
  });

  await journey('a new sensor appears live over the websocket', admin, async (page) => {
    await page.waitForSelector('[data-connection="live"]');
    const before = Date.now();
    const post = await beat('e2e-live-new');
    const acked = Date.now();
    if (post.status !== 202) throw new Error(`heartbeat answered ${post.status}`);
    await page.waitForSelector('[data-sensor="e2e-live-new"]', { timeout: 5000 });
    console.log(`    e2e_live_latency_ms: ${Date.now() - acked} (ack ${acked - before} ms; batches every 100 ms)`);
    await until(async () => (await page.textContent('[data-testid=count-total] .value')).trim() === '31', 'the count to follow');
  });

  await journey('a sensor that stops beating turns late, then stale, on its own timer', admin, async (page) => {
    await page.waitForSelector('[data-connection="live"]');
    await beat('e2e-quiet');
    const put = await asAdmin('/api/v1/sensors/e2e-quiet/settings', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ intervalSeconds: 1, graceSeconds: 0 }) });
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

  await journey('a row opens the sensor page, which follows the sensor live', admin, async (page) => {
    await page.fill('[data-testid=filter-text]', 'pump-01');
    await page.click('[data-sensor="e2e-pump-01"]');
    await until(async () => new URL(page.url()).pathname === '/sensors/e2e-pump-01', 'the sensor URL');
    await page.waitForSelector('[data-testid=sensor-settings]');
    await until(async () => (await page.textContent('[data-testid=sensor-count]')).trim() === '1', 'one heartbeat');
    await beat('e2e-pump-01');
    await until(async () => (await page.textContent('[data-testid=sensor-count]')).trim() === '2', 'the second heartbeat, live');
    await page.screenshot({ path: join(out, 'e2e-sensor.png'), fullPage: true });
    // Its heartbeats download as CSV: both beats, oldest first, the first without an interval.
    await until(async () => {
      const beats = parseCsv((await download(page, '[data-testid=download-heartbeats]')).text).rows;
      return beats.length === 2 && beats[0].interval_seconds === '' && Number(beats[1].interval_seconds) >= 0 && Date.parse(beats[0].received_at) <= Date.parse(beats[1].received_at);
    }, 'the two heartbeats in the downloaded CSV');
  });

  await journey('an operator sets a tag\'s interval and the sensor page shows it in force', operator, async (page) => {
    await page.click('nav >> text=Tags');
    await page.waitForSelector('[data-testid=tag-settings] [data-tag="site:north"]');
    await page.fill('[data-testid=tag-name]', 'site:north');
    await page.fill('[data-testid=tag-interval]', '-5');
    await page.click('[data-testid=tag-save]');
    await until(async () => (await page.textContent('[data-testid=tag-message]')).includes('interval must be'), 'the form refuses a negative interval');
    await page.fill('[data-testid=tag-interval]', '900');
    await page.click('[data-testid=tag-save]');
    await until(async () => (await page.textContent('[data-tag="site:north"] [data-testid=tag-row-interval]')).trim() === '900 s', 'the tag listed with 900 s');
    await page.screenshot({ path: join(out, 'e2e-tags.png'), fullPage: true });
    await page.goto(`${base}/sensors/e2e-pump-02`);
    await until(async () => (await page.textContent('[data-testid=sensor-effective-interval]')).trim() === '900 s (tag site:north)', 'the sensor page shows the tag\'s interval');
    await page.screenshot({ path: join(out, 'e2e-sensor-effective.png'), fullPage: true });
  });

  await journey('a viewer sees the tag settings but cannot change them', viewer, async (page) => {
    await page.click('nav >> text=Tags');
    await page.waitForSelector('[data-testid=tag-settings] [data-tag="site:north"]');
    if (await page.isVisible('[data-testid=tag-save]')) throw new Error('a viewer is offered the tag settings form');
    const put = await page.evaluate(async () => (await fetch('/api/v1/tags/site:north/settings', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"intervalSeconds":5}' })).status);
    if (put !== 403) throw new Error(`a viewer's tag change answered ${put}`);
  });

  await journey('the fleet page shows the serial port and its counters', admin, async (page) => {
    await page.click('nav >> text=Fleet');
    await until(async () => (await (await asAdmin('/api/v1/serial/ports')).json()).items[0]?.connected, 'the serial port to open');
    writeFileSync(join(ptyDir, 'sensor'), 'HB e2e-uart-1 seq=1 status=ok\nHB e2e-uart-1 seq=2*00\n\u0001garbage\n');
    await page.waitForSelector('[data-testid=serial-ports] >> text=connected', { timeout: 10000 });
    await until(async () => (await page.textContent('[data-testid=serial-lines-ok]')).trim() === '1', 'one line counted ok', 15000);
    await until(async () => (await page.textContent('[data-testid=serial-dropped]')).trim() === '2', 'a bad checksum and garbage counted as dropped', 15000);
    await page.waitForSelector('[data-sensor="e2e-uart-1"]', { timeout: 10000 });
    await page.screenshot({ path: join(out, 'e2e-serial.png'), fullPage: true });
  });

  await journey('the fleet page shows the cluster: its members and their shard counts', admin, async (page) => {
    await page.click('nav >> text=Fleet');
    const cluster = await (await asAdmin('/api/v1/cluster')).json();
    await page.waitForSelector(`[data-testid=cluster] [data-node="${cluster.nodeId}"] >> text=(this node)`, { timeout: 10000 });
    // Akka starts a shard when one of its sensors is first used: a lone node hosts every shard in use.
    const here = cluster.members.find((m) => m.self);
    if (!here || here.shards !== cluster.shardsHere) throw new Error(`the node's own member row says ${here?.shards} shards, the status ${cluster.shardsHere}`);
    await until(async () => (await page.textContent(`[data-node="${cluster.nodeId}"] [data-testid=cluster-shards]`)).trim() !== '', 'the shard count to show');
    const shards = Number((await page.textContent(`[data-node="${cluster.nodeId}"] [data-testid=cluster-shards]`)).trim().replace(/,/g, ''));
    if (!(shards > 0 && shards <= cluster.shards)) throw new Error(`a lone node hosts the shards in use (1 to ${cluster.shards}); the page shows ${shards}`);
    const inUse = (await page.textContent('[data-testid=cluster-in-use]')).trim();
    if (!inUse.includes(`at most ${cluster.shards}`)) throw new Error(`the shards in use read "${inUse}"`);
    const state = (await page.textContent(`[data-node="${cluster.nodeId}"] [data-testid=cluster-state]`)).trim();
    if (state !== 'up') throw new Error(`the node shows as ${state}`);
    await page.screenshot({ path: join(out, 'e2e-cluster.png'), fullPage: true });
  });

  await journey('the analytics page charts the named queries', admin, async (page) => {
    await page.click('nav >> text=Analytics');
    await page.waitForSelector('figure[class=chart] >> text=Survival');
    await page.waitForSelector('svg[aria-label^="Availability"]');
    await page.screenshot({ path: join(out, 'e2e-analytics.png'), fullPage: true });
  });

  await journey('a viewer sees the fleet but no operator controls, and the server refuses the action anyway', viewer, async (page) => {
    await page.waitForSelector('[data-connection="live"]');
    if (await page.isVisible('nav >> text=Admin')) throw new Error('a viewer sees the admin page link');
    await page.goto(base + '/sensors/e2e-pump-02');
    await page.waitForSelector('[data-testid=sensor-settings]');
    if (await page.isVisible('[data-testid=sensor-controls]')) throw new Error('a viewer sees the retire control');
    const retire = await page.evaluate(async () => (await fetch('/api/v1/sensors/e2e-pump-02/retire', { method: 'POST' })).status);
    if (retire !== 403) throw new Error(`a viewer's retire answered ${retire}`);
    await page.screenshot({ path: join(out, 'e2e-viewer.png'), fullPage: true });
  });

  await journey('an operator retires and reactivates a sensor from its page', operator, async (page) => {
    await page.goto(base + '/sensors/e2e-pump-03');
    await page.click('[data-testid=sensor-retire]');
    await page.waitForSelector('[data-testid=sensor-settings] >> text=Retired');
    await page.click('[data-testid=sensor-reactivate]');
    await page.waitForSelector('[data-testid=sensor-retire]');
  });

  await journey('an admin creates an ingest key that works until it is revoked', admin, async (page) => {
    await page.click('nav >> text=Admin');
    await page.fill('[data-testid=key-name]', 'e2e gateway');
    await page.click('[data-testid=key-create]');
    const key = (await page.textContent('[data-testid=new-key]')).trim();
    if (!/^fhk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/.test(key)) throw new Error(`not a key: ${key}`);
    const accepted = await beatWith(key, 'e2e-keyed-1');
    if (accepted.status !== 202) throw new Error(`a heartbeat with the new key answered ${accepted.status}`);
    await page.screenshot({ path: join(out, 'e2e-admin-key.png'), fullPage: true });
    const keyId = key.slice(4, 16);
    await page.click(`[data-key="${keyId}"] [data-testid=key-revoke]`);
    await page.waitForSelector(`[data-key="${keyId}"] [data-testid=key-state] >> text=revoked`);
    const refused = await beatWith(key, 'e2e-keyed-1');
    if (refused.status !== 401) throw new Error(`a heartbeat with the revoked key answered ${refused.status}`);
    await page.reload();
    await page.waitForSelector(`[data-key="${keyId}"]`);
    if ((await page.content()).includes(key)) throw new Error('the key is shown again');
  });

  await journey('an admin creates an operator whose generated password signs in', admin, async (page) => {
    await page.click('nav >> text=Admin');
    await page.fill('[data-testid=operator-user]', 'e2e-new-operator');
    await page.selectOption('[data-testid=operator-role]', 'operator');
    await page.click('[data-testid=operator-create]');
    const password = (await page.textContent('[data-testid=new-operator-password]')).trim();
    await page.click('[data-testid=logout]');
    await signIn(page, { user: 'e2e-new-operator', password });
    if ((await page.textContent('[data-testid=current-role]')).trim() !== 'operator') throw new Error('the new operator has another role');
  });

  await journey('an operator changes their own password from the header, which ends their other sessions', null, async (page) => {
    const changer = { user: 'e2e-changer', password: 'changer passphrase 1' };
    const created = await asAdmin('/api/v1/operators', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...changer, role: 'viewer' }) });
    if (created.status !== 201) throw new Error(`creating the operator answered ${created.status}`);
    const elsewhere = await operatorFetch(base, changer);
    await signIn(page, changer);
    await page.click('[data-testid=change-password]');
    await page.fill('[data-testid=password-current]', 'not my password');
    await page.fill('[data-testid=password-new]', 'changer passphrase 2');
    await page.fill('[data-testid=password-confirm]', 'changer passphrase 2');
    await page.click('[data-testid=password-submit]');
    await until(async () => (await page.textContent('[data-testid=password-error]'))?.includes('current password is wrong'), 'the wrong current password refused');
    await page.fill('[data-testid=password-current]', changer.password);
    await page.click('[data-testid=password-submit]');
    await page.waitForSelector('[data-testid=password-notice]');
    const other = (await elsewhere('/api/v1/auth/me')).status;
    if (other !== 401) throw new Error(`the other session answered ${other} after the change`);
    const own = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).status);
    if (own !== 200) throw new Error(`the changing session answered ${own}`);
    await page.click('[data-testid=logout]');
    await signIn(page, { ...changer, password: 'changer passphrase 2' });
  });

  await journey('a dashboard whose operator is disabled is cut off by the server and goes back to sign-in', null, async (page) => {
    const leaver = { user: 'e2e-leaver', password: 'leaver passphrase 1' };
    const created = await asAdmin('/api/v1/operators', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...leaver, role: 'viewer' }) });
    if (created.status !== 201) throw new Error(`creating the operator answered ${created.status}`);
    // Records how each websocket of the page closes: the dashboard's own close is 1000; the server's cut is 1008.
    await page.addInitScript(() => {
      const Native = window.WebSocket;
      window.__closes = [];
      window.WebSocket = class extends Native {
        constructor(...args) {
          super(...args);
          this.addEventListener('close', (e) => window.__closes.push({ code: e.code, reason: e.reason }));
        }
      };
    });
    await page.goto(base + '/');
    await signIn(page, leaver);
    await page.waitForSelector('[data-connection="live"]');

    const disabled = await asAdmin(`/api/v1/operators/${leaver.user}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ disabled: true }) });
    if (disabled.status !== 200) throw new Error(`disabling answered ${disabled.status}`);

    await until(async () => (await page.evaluate(() => window.__closes)).some((c) => c.code === 1008 && c.reason.startsWith('session ended')), 'the server to close the feed with 1008', 10000);
    await page.waitForSelector('[data-testid=login-form]', { timeout: 15000 });
  });

  await journey('an admin sets up alerts: a webhook channel, a rule and a silence, then sees the alert on the fleet page and in the delivery log', admin, async (page) => {
    // The webhook's receiver, on loopback: it answers every message with a word the test result must show.
    const received = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => { body += chunk; });
      req.on('end', () => { received.push({ body, signature: req.headers['x-fleethealth-signature'] }); res.writeHead(200, { 'content-type': 'text/plain' }); res.end('thanks'); });
    });
    const port = await freePort();
    await new Promise((r) => receiver.listen(port, '127.0.0.1', r));
    try {
      await page.click('nav >> text=Alerts');
      await page.click('[data-testid=alerts-tab-channels]');
      await page.fill('[data-testid=channel-name]', 'e2e-hook');
      await page.fill('[data-testid=channel-url]', 'hooks.example.com/no-scheme');
      await page.click('[data-testid=channel-save]');
      await until(async () => (await page.textContent('[data-testid=channel-message]'))?.includes('absolute http'), 'the form refuses a URL without a scheme');
      await page.fill('[data-testid=channel-url]', `http://127.0.0.1:${port}/hook`);
      await page.fill('[data-testid=channel-secret]', 'e2e-signing-secret');
      await page.click('[data-testid=channel-save]');
      await page.waitForSelector('[data-channel="e2e-hook"] >> text=set');
      if ((await page.content()).includes('e2e-signing-secret')) throw new Error('the secret shows on the page after saving');
      await page.click('[data-channel="e2e-hook"] [data-testid=channel-test]');
      await until(async () => (await page.textContent('[data-channel="e2e-hook"] [data-testid=channel-test-result]'))?.includes('Delivered: the receiver answered 200'), 'the test message delivered');
      const result = await page.textContent('[data-channel="e2e-hook"] [data-testid=channel-test-result]');
      if (!result.includes('thanks')) throw new Error(`the test result does not show the receiver's answer: ${result}`);
      if (!received.some((r) => r.signature?.startsWith('sha256='))) throw new Error('the test message was not signed with the secret');

      await page.click('[data-testid=alerts-tab-rules]');
      await page.fill('[data-testid=rule-name]', 'e2e alerting sensors');
      await page.check('[data-testid=rule-transition-fault]');
      await page.fill('[data-testid=rule-tag]', 'e2e-alerts');
      await page.fill('[data-testid=rule-groupWait]', '1');
      await page.click('[data-testid=rule-save]');
      await until(async () => (await page.textContent('[data-testid=rule-message]'))?.includes('at least one channel'), 'the form asks for a channel');
      await page.check('[data-testid=rule-channel-e2e-hook]');
      await page.click('[data-testid=rule-save]');
      await page.waitForSelector('[data-rule="e2e alerting sensors"] [data-testid=rule-channels] >> text=e2e-hook');

      await page.click('[data-testid=alerts-tab-silences]');
      await page.fill('[data-testid=silence-value]', 'site:south');
      await page.fill('[data-testid=silence-hours]', '1');
      await page.fill('[data-testid=silence-comment]', 'e2e maintenance');
      await page.click('[data-testid=silence-save]');
      await page.waitForSelector('[data-testid=silences-current] [data-silence="site:south"] >> text=active');
      await page.screenshot({ path: join(out, 'e2e-silences.png'), fullPage: true });

      // A sensor of the rule's tag goes into fault: one alert group, sent to the webhook.
      const sensorBeat = (status) => fetch(`${base}/api/v1/heartbeats/e2e-alert-1`, { method: 'POST', headers: { authorization: `Bearer ${seedKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ status }) });
      if ((await sensorBeat('ok')).status !== 202) throw new Error('the alerting sensor\'s beat was refused');
      await until(async () => (await asAdmin('/api/v1/sensors/e2e-alert-1')).status === 200, 'the alerting sensor in the read model');
      const tagged = await asAdmin('/api/v1/sensors/e2e-alert-1/settings', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tags: ['e2e-alerts'] }) });
      if (tagged.status !== 200) throw new Error(`tagging answered ${tagged.status}`);
      await until(async () => (await (await asAdmin('/api/v1/sensors?tag=e2e-alerts')).json()).items.length === 1, 'the tag in the read model');
      if ((await sensorBeat('fault')).status !== 202) throw new Error('the fault beat was refused');
      await page.click('nav >> text=Fleet');
      await page.waitForSelector('[data-group-rule="e2e alerting sensors"] >> text=e2e-alert-1', { timeout: 20000 });
      const counts = (await page.textContent('[data-group-rule="e2e alerting sensors"] [data-testid=alert-group-counts]')).trim();
      if (counts !== '1 fault') throw new Error(`the open group counts "${counts}"`);
      await page.screenshot({ path: join(out, 'e2e-alert-groups.png'), fullPage: true });

      await page.goto(`${base}/alerts/deliveries`);
      await page.waitForSelector('[data-testid=deliveries] tr[data-status=delivered] >> text=e2e-hook');
      await page.waitForSelector('[data-testid=deliveries] tr[data-status=delivered] >> text=[FIRING] e2e alerting sensors', { timeout: 20000 });
      const channelId = (await (await asAdmin('/api/v1/notifications/channels')).json()).items.find((c) => c.name === 'e2e-hook').id;
      await page.selectOption('[data-testid=deliveries-channel]', String(channelId));
      await page.waitForSelector('[data-testid=deliveries] tr[data-status=delivered]');
      await page.screenshot({ path: join(out, 'e2e-deliveries.png'), fullPage: true });
    } finally {
      receiver.closeAllConnections();
      await new Promise((r) => receiver.close(r));
    }
  });

  await journey('an operator cannot manage channels: the page says so in the API\'s words', operator, async (page) => {
    await page.click('nav >> text=Alerts');
    await page.click('[data-testid=alerts-tab-channels]');
    await page.waitForSelector('[data-testid=channels-error]');
    if (await page.isVisible('[data-testid=channel-form]')) throw new Error('an operator is offered the channel form');
    await page.click('[data-testid=alerts-tab-rules]');
    await page.waitForSelector('[data-rule="e2e alerting sensors"]');
  });

  await journey('the fleet page tells that the monitor itself was down, and when', admin, async (page) => {
    // As a monitor stopped for ten minutes leaves it: the last pulse long ago; the next pulse records the gap.
    db.query("UPDATE monitor_pulse SET last_seen = now() - interval '10 minutes'");
    await until(async () => (await (await asAdmin('/api/v1/notifications/monitor-outages')).json()).items.length === 1, 'the outage recorded');
    await page.goto(base + '/');
    await until(async () => (await page.textContent('[data-testid=monitor-outage]'))?.includes('FleetHealth could not hear the fleet from'), 'the banner');
    await page.screenshot({ path: join(out, 'e2e-monitor-outage.png'), fullPage: true });
  });

  await journey('the dashboard reconnects by itself and resyncs after a server crash', admin, async (page) => {
    await page.click('nav >> text=Fleet');
    await page.fill('[data-testid=filter-text]', '');
    await page.waitForSelector('[data-connection="live"]');
    await killServer();
    await page.waitForSelector('[data-connection="reconnecting"]', { timeout: 10000 });
    // The data dims and says since when it is stale; failed requests read as sentences, with the retry.
    await until(async () => /stale since \d{2}:\d{2}:\d{2}/.test((await page.textContent('[data-testid=stale-banner]').catch(() => '')) ?? ''), 'the stale banner');
    await page.waitForSelector('main[data-stale="true"]');
    await until(async () => /^Server: The server is unreachable; retrying (in \d+ s|now)$/.test(((await page.textContent('[data-testid=server-problem]').catch(() => '')) ?? '').trim()), 'the server status to say it is unreachable, with the retry', 15000);
    if ((await page.textContent('body')).includes('Failed to fetch')) throw new Error('a fetch failure shows as "Failed to fetch"');
    await page.screenshot({ path: join(out, 'e2e-reconnecting.png'), fullPage: true });
    // Written while no server runs: only a fresh snapshot can bring it.
    db.query("INSERT INTO sensors (sensor_id, status, status_since) VALUES ('e2e-while-down', 'dead', now())");
    server = await startServer(dll, db.connectionString, port, serverSettings);
    await page.waitForSelector('[data-connection="live"]', { timeout: 20000 });
    await page.waitForSelector('[data-sensor="e2e-while-down"]', { timeout: 10000 });
    await page.waitForSelector('[data-testid=stale-banner]', { state: 'detached' });
    await page.waitForSelector('main:not([data-stale])');
  });

  if (pageErrors.length > 0) {
    results.push({ name: 'no page errors', ok: false });
    console.log(`  ✗ page errors: ${pageErrors.join(' | ')}`);
  }
  if (cspViolations.length > 0) {
    results.push({ name: 'no content security policy violations', ok: false });
    console.log(`  ✗ content security policy violations: ${cspViolations.join(' | ')}`);
  }
} catch (error) {
  results.push({ name: 'setup', ok: false });
  console.log(`  ✗ setup: ${error?.message ?? error}`);
} finally {
  await chromium?.close();
  await killServer();
  socat.kill();
  rmSync(ptyDir, { recursive: true, force: true });
  db?.drop();
}

const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
if (failed > 0 && server) console.log(`--- server log (tail) ---\n${server.log().split('\n').slice(-30).join('\n')}`);
console.log(`e2e: ${passed} passed, ${failed} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
process.exit(failed > 0 ? 1 : 0);

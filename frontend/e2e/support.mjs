// What the end-to-end journeys (run.mjs) and the live-latency benchmark (bench-live.mjs) share:
// the database, the built server as a child process, its bootstrap commands, chromium, signing in.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns something truthy (errors count as "not yet"); fails after `ms`. */
export async function until(probe, what, ms = 15000) {
  const deadline = Date.now() + ms;
  let delay = 20;
  for (;;) {
    try { const value = await probe(); if (value) return value; } catch { /* not yet */ }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(delay);
    delay = Math.min(delay * 2, 250);
  }
}

export const freePort = () => new Promise((res) => { const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => res(port)); }); });

/** Host, port, user, password and database of an Npgsql connection string. */
export function parseNpgsql(text) {
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

/**
 * A fresh database for this run on the PostgreSQL that FLEETHEALTH_DB names, or, when it is not
 * set and `privateDir` is given, on a private server started through scripts/pg.sh (stopped by drop()).
 */
export async function freshDatabase(prefix, privateDir = null) {
  let admin = process.env.FLEETHEALTH_DB;
  let pgEnv = null;
  if (!admin) {
    if (!privateDir) throw new Error('FLEETHEALTH_DB is not set (run through scripts/test.sh)');
    pgEnv = { ...process.env, FLEETHEALTH_PG_DIR: privateDir, FLEETHEALTH_PG_PORT: String(await freePort()) };
    const pgScript = (verb) => {
      const r = spawnSync('bash', [join(repo, 'scripts', 'pg.sh'), verb], { env: pgEnv, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`scripts/pg.sh ${verb} failed: ${r.stderr}`);
      return r.stdout.trim();
    };
    pgScript('start');
    admin = pgScript('url');
    pgEnv.stop = () => pgScript('stop');
  }
  const pg = parseNpgsql(admin);
  const name = `${prefix}_${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  const psql = (database, sql) => {
    const result = spawnSync('psql', ['-v', 'ON_ERROR_STOP=1', '-qtA', '-h', pg.host, '-p', pg.port, '-U', pg.user, '-d', database, '-c', sql],
      { env: { ...process.env, PGPASSWORD: pg.password ?? '' }, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`psql failed: ${result.stderr}`);
    return result.stdout;
  };
  psql(pg.database, `CREATE DATABASE "${name}"`);
  return {
    name,
    connectionString: `Host=${pg.host};Port=${pg.port};Username=${pg.user};${pg.password ? `Password=${pg.password};` : ''}Database=${name}`,
    query: (sql) => psql(name, sql).trim(),
    psql,
    drop() {
      try { psql(pg.database, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`); } catch { /* best effort */ }
      pgEnv?.stop();
    },
  };
}

/** The built FleetHealth.Server.dll: FLEETHEALTH_SERVER_DLL, else the first of `configs` that is built. */
export function serverDll(configs = ['Debug', 'Release']) {
  if (process.env.FLEETHEALTH_SERVER_DLL) return process.env.FLEETHEALTH_SERVER_DLL;
  for (const config of configs) {
    const dll = join(repo, 'backend', 'FleetHealth.Server', 'bin', config, 'net10.0', 'FleetHealth.Server.dll');
    if (existsSync(dll)) return dll;
  }
  throw new Error('Build the server first (dotnet build FleetHealth.sln)');
}

/** Runs one of the server dll's commands; returns the value of its `name: value` output line. */
export function serverCommand(dll, connectionString, args, field) {
  const result = spawnSync('dotnet', [dll, ...args], {
    cwd: dirname(dll), encoding: 'utf8',
    env: { ...process.env, Database__ConnectionString: connectionString, Logging__LogLevel__Default: 'Warning' },
  });
  const line = (result.stdout ?? '').split('\n').find((l) => l.startsWith(`${field}: `));
  if (result.status !== 0 || !line) throw new Error(`${args.join(' ')} exited with ${result.status}: ${result.stderr}`);
  return line.slice(field.length + 2).trim();
}

/**
 * Starts the server dll on `port` with `settings` (environment variables) and waits for /readyz.
 * Returns { child, log(), kill() }; kill() is SIGKILL and resolves when the process is gone.
 */
export async function startServer(dll, connectionString, port, settings = {}) {
  let log = '';
  const child = spawn('dotnet', [dll, '--contentRoot', dirname(dll), '--urls', `http://127.0.0.1:${port}`], {
    env: { ...process.env, Database__ConnectionString: connectionString, Dashboard__Root: join(repo, 'frontend', 'dist'), ...settings },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  const server = {
    child,
    log: () => log,
    kill: () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      return new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
    },
  };
  try {
    await until(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok, 'the server to be ready', 30000);
  } catch (error) {
    await server.kill();
    throw new Error(`${error.message}; server log (tail):\n${log.split('\n').slice(-30).join('\n')}`);
  }
  return server;
}

/** Debian's chromium, headless, in a throwaway profile; never downloaded. close() removes the profile. */
export async function launchChromium(viewport = { width: 1400, height: 1000 }) {
  const userDir = mkdtempSync(join(tmpdir(), 'fleethealth-chromium-'));
  const context = await chromium.launchPersistentContext(userDir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport,
  });
  return { context, close: async () => { await context.close().catch(() => {}); rmSync(userDir, { recursive: true, force: true }); } };
}

/** Signs in through the login form of the page's current address; waits for the header to name the user. */
export async function signIn(page, who) {
  await page.waitForSelector('[data-testid=login-form]');
  await page.fill('[data-testid=login-user]', who.user);
  await page.fill('[data-testid=login-password]', who.password);
  await page.click('[data-testid=login-submit]');
  await until(async () => (await page.textContent('[data-testid=current-user]'))?.trim() === who.user, `${who.user} signed in`, 10000);
}

/** Node-side calls as an operator: signs in over HTTP and sends the session cookie. */
export async function operatorFetch(base, who) {
  const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(who) });
  if (login.status !== 200) throw new Error(`signing in ${who.user} answered ${login.status}`);
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return (path, init = {}) => fetch(base + path, { ...init, headers: { ...(init.headers ?? {}), cookie } });
}

/** The value at fraction `p` (0–1) of an ascending array (nearest rank). */
export const percentile = (sorted, p) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]);

/**
 * An RFC 4180 CSV text as rows of fields (quoted fields may hold commas, doubled quotes and line
 * breaks); with `header`, as objects keyed by the first row. Throws on a stray quote.
 */
export function parseCsv(text, { header = true } = {}) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') {
      if (field !== '') throw new Error(`stray quote at ${i}`);
      quoted = true;
    } else if (c === ',') { row.push(field); field = ''; } else if (c === '\r' && text[i + 1] === '\n') { /* CRLF: the \n ends the row */ } else if (c === '\n') {
      row.push(field); rows.push(row); row = []; field = '';
    } else field += c;
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  if (!header) return rows;
  const [names = [], ...data] = rows;
  return { header: names, rows: data.map((r) => Object.fromEntries(names.map((n, i) => [n, r[i]]))) };
}

/** Clicks `selector`, waits for the browser's download and returns its suggested name and text. */
export async function download(page, selector) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const failure = await file.failure();
  if (failure) throw new Error(`download of ${selector} failed: ${failure}`);
  const chunks = [];
  for await (const chunk of await file.createReadStream()) chunks.push(chunk);
  return { name: file.suggestedFilename(), text: Buffer.concat(chunks).toString('utf8') };
}

#!/usr/bin/env node
/**
 * `npm run bench` (issue 6): builds, generates (or reuses) the everyday and large datasets, and
 * for each size starts the production server pinned to core 0 (`taskset -c 0`, scheduler off,
 * 127.0.0.1) while this script — the load generator — runs on core 1. Measured in one run:
 *
 *   ceiling    /bench: the borrower home's markup from a constant (app/bench/page.tsx)
 *   ceiling-case, ceiling-dashboard, ceiling-reminders   /bench/<page>: each of those pages' markup
 *              from a constant, the same way: a page's "× ceiling" is against its own ceiling
 *   home       /home: the borrower's home (`/` only redirects there)
 *   case       /cases/<id>: a repaying case of the same borrower
 *   dashboard  /dashboard as a1@bench.test (500 clients)
 *   reminders  /reminders: the borrower's inbox
 *   write      saving a contact on a case: the real server action, captured once in a browser
 *   calendar   /calendar/<token>.ics
 *   floor      the same queries on raw better-sqlite3, in process, beside the verbs and their
 *              drizzle queries alone (scripts/bench/floor.ts)
 *
 * For each: max requests/s (closed loop, in rounds taken in turns with its ceiling), p50/p99 latency at a fixed offered 100 requests/s
 * (open loop, timed from each request's scheduled send), server CPU per request (utime+stime of
 * the server's process tree over the closed loop / requests), peak RSS (VmHWM and sampled VmRSS).
 * A page with a p99 target is also asked at half of its own closed-loop rate (shown, not a
 * target: does its p99 hold below saturation?).
 * Writes bench/results.json and bench/results.md and prints the table.
 *
 * Options: --sizes everyday,large  --only home,dashboard  --quick (short phases)
 *          --cpu-prof (server runs with node --cpu-prof into bench/profiles/)  --skip-build
 *          --trace-gc (server runs with node --trace-gc; its output goes to bench/profiles/<size>/server.log)
 * Environment: BENCH_PORT (default 3250); BENCH_TAG=x gives a partial run its own build folder
 * (.next-bench-x), work files and data/bench/partial-results-x.* so that two can run side by side.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { BENCH_DATA, ROOT, ensureDataset, generatorVersion, todayInShanghai } from './datasets.mjs';
import { pickSubjects } from './subjects.mjs';

// BENCH_TAG lets partial runs (--only) go side by side: each tag has its own build, files and port.
const TAG = process.env.BENCH_TAG ? `-${process.env.BENCH_TAG.replace(/[^a-z0-9]/gi, '')}` : '';
const DIST_DIR = `.next-bench${TAG}`;
process.env.NEXT_DIST_DIR = DIST_DIR;
const { buildReason, serverNodeArgs } = await import('../start.mjs');

// --- options ----------------------------------------------------------------------------------

const argv = process.argv.slice(2);
const opt = (name) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const flag = (name) => argv.includes(`--${name}`);
const SIZES = (opt('sizes') ?? 'everyday,large').split(',');
/**
 * Each page's ceiling (issue 6: "a bare dynamic page that renders the same markup from a
 * constant"): the page's own view component drawing a snapshot of what its loader read
 * (app/bench/snapshots.ts). The write answers with the case page; the calendar feed has no markup,
 * so it is set beside the home's, the first ceiling, as before. Each page's closed loops are taken
 * in turns with its ceiling's (benchSize), so that the machine's drift over a run falls on both alike.
 */
const CEILING_OF = { home: 'ceiling', case: 'ceiling-case', dashboard: 'ceiling-dashboard', reminders: 'ceiling-reminders', write: 'ceiling-case', calendar: 'ceiling' };
const PAGES = ['home', 'case', 'dashboard', 'reminders', 'write', 'calendar'];
const isCeiling = (t) => t.startsWith('ceiling');
/** The pages asked for, each after its ceiling; the home's ceiling always (the calendar's anchor, and the README's). */
function targetList(pages) {
  const out = ['ceiling'];
  for (const p of pages) out.push(...(out.includes(CEILING_OF[p]) ? [] : [CEILING_OF[p]]), p);
  return out;
}
const TARGETS = targetList(opt('only') ? PAGES.filter((p) => opt('only').split(',').includes(p)) : PAGES);
const QUICK = flag('quick');
const CPU_PROF = flag('cpu-prof');
const TRACE_GC = flag('trace-gc');
const SEED = 42;
const PORT = Number(process.env.BENCH_PORT || 3250);
const BASE = `http://127.0.0.1:${PORT}`;
const PHASES = QUICK ? { warmS: 1, closedS: 3, openS: 4, rounds: 3 } : { warmS: 3, closedS: 8, openS: 10, rounds: 4 };
const CONCURRENCY = 8;
/** The server runs on one core (`taskset -c 0`): its Node flags are those `npm start` gives on one CPU. */
const SERVER_CPUS = 1;
/** A request not answered in this time counts as failed (and as this long in the percentiles). */
const REQUEST_TIMEOUT_MS = 10_000;
const OFFERED_RPS = 100;
const PASSWORD = 'test-password-1';
const NEXT_BIN = path.join(ROOT, 'node_modules/next/dist/bin/next');
const SERVER = path.join(ROOT, 'scripts/server.mjs');
const TSX_BIN = path.join(ROOT, 'node_modules/tsx/dist/cli.mjs');
const OUT_DIR = path.join(ROOT, 'bench');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const TARGETS_FIGURES = {
  ceilingRatio: 0.8,
  dbShare: 0.1,
  drizzleRatio: 1.25,
  p99: { dashboard: 100, home: 50, case: 50, reminders: 50, write: 30 },
  largeRatio: 1.5,
  rssMb: 300,
  dashboardJsKb: 150,
};

const log = (...a) => console.log('[bench]', ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const started = Date.now();

// --- machine ----------------------------------------------------------------------------------

function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
  return { cpu: model, cores: os.cpus().length, memGb: +(os.totalmem() / 2 ** 30).toFixed(1), node: process.version, date: new Date().toISOString(), loadAvgBefore: load };
}

// --- the server's process tree: CPU and memory from /proc ---------------------------------------

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim() || 100);

function treePids(pid) {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    try {
      for (const tid of readdirSync(`/proc/${out[i]}/task`)) {
        const children = readFileSync(`/proc/${out[i]}/task/${tid}/children`, 'utf8').trim();
        if (children) out.push(...children.split(/\s+/).map(Number));
      }
    } catch {
      // gone
    }
  }
  return out;
}

/** utime+stime of the tree, in milliseconds. */
function cpuMs(pid) {
  let ticks = 0;
  for (const p of treePids(pid)) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14, 15)
    } catch {
      // gone
    }
  }
  return (ticks * 1000) / CLK_TCK;
}

/** The process tree's resident memory by kind (/proc/<pid>/smaps_rollup), in kB: anonymous (heaps, malloc) and file-backed (code, libraries). */
function residentKb(pid) {
  const total = { anon: 0, file: 0 };
  for (const p of treePids(pid)) {
    try {
      const text = readFileSync(`/proc/${p}/smaps_rollup`, 'utf8');
      const rss = Number(/^Rss:\s+(\d+)/m.exec(text)?.[1] ?? 0);
      const anon = Number(/^Anonymous:\s+(\d+)/m.exec(text)?.[1] ?? 0);
      total.anon += anon;
      total.file += rss - anon;
    } catch {
      // gone
    }
  }
  return total;
}

function memKb(pid, key) {
  let total = 0;
  for (const p of treePids(pid)) {
    try {
      const m = new RegExp(`${key}:\\s+(\\d+)`).exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      if (m) total += Number(m[1]);
    } catch {
      // gone
    }
  }
  return total;
}

// --- HTTP ---------------------------------------------------------------------------------------

function cookieHeader(setCookies, jar = new Map()) {
  for (const c of setCookies) {
    const [pair] = c.split(';');
    const i = pair.indexOf('=');
    jar.set(pair.slice(0, i).trim(), pair.slice(i + 1).trim());
  }
  return jar;
}
const jarString = (jar) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

async function signIn(email) {
  const jar = new Map();
  const r1 = await fetch(`${BASE}/api/auth/csrf`);
  const { csrfToken } = await r1.json();
  cookieHeader(r1.headers.getSetCookie(), jar);
  const r2 = await fetch(`${BASE}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jarString(jar) },
    body: new URLSearchParams({ email, password: PASSWORD, csrfToken, callbackUrl: `${BASE}/` }),
  });
  await r2.arrayBuffer();
  cookieHeader(r2.headers.getSetCookie(), jar);
  if (![...jar.keys()].some((k) => k.includes('authjs.session-token'))) throw new Error(`sign-in failed for ${email} (${r2.status})`);
  return jarString(jar);
}

// --- multipart (the server action's body) --------------------------------------------------------

function parseMultipart(body, contentType) {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (!boundary) throw new Error(`not multipart: ${contentType}`);
  const sep = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const parts = [];
  let at = body.indexOf(sep);
  while (at >= 0) {
    const next = body.indexOf(sep, at + sep.length);
    if (next < 0) break;
    const chunk = body.subarray(at + sep.length + 2, next - 2);
    const headEnd = chunk.indexOf('\r\n\r\n');
    const head = chunk.subarray(0, headEnd).toString('utf8');
    const name = /name="([^"]*)"/.exec(head)?.[1];
    if (name !== undefined) parts.push({ name, value: chunk.subarray(headEnd + 4).toString('utf8') });
    at = next;
  }
  return parts;
}

function buildMultipart(parts) {
  const boundary = `----bench${randomBytes(8).toString('hex')}`;
  const chunks = parts.map((p) => `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value}\r\n`);
  return { body: Buffer.from(`${chunks.join('')}--${boundary}--\r\n`), contentType: `multipart/form-data; boundary=${boundary}` };
}

// --- the browser: capture the write once, and weigh the dashboard's JavaScript -------------------

async function withBrowser(fn) {
  const { chromium } = await import('@playwright/test');
  const browser = await chromium.launch({
    executablePath: existsSync(CHROMIUM) ? CHROMIUM : undefined,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  try {
    return await fn(browser);
  } finally {
    await browser.close();
  }
}

async function contextWith(browser, cookie) {
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  await context.addCookies(
    cookie.split('; ').map((c) => {
      const i = c.indexOf('=');
      return { name: c.slice(0, i), value: c.slice(i + 1), url: BASE };
    }),
  );
  return context;
}

/** Saves a contact through the case page's form and records the request the browser sends. */
async function captureWrite(browser, cookie, caseId) {
  const context = await contextWith(browser, cookie);
  const page = await context.newPage();
  await page.goto(`${BASE}/cases/${caseId}`);
  // The contact form is rendered when its fold is opened: a link to the page with ?open=contact.
  const fold = page.getByTestId('add-contact');
  await fold.locator('a[data-fold-link], summary').first().click();
  const form = page.getByTestId('contact-form');
  await form.locator('textarea[name="summary"]').fill('基准测试：客服说会回电');
  const seen = page.waitForRequest((r) => r.method() === 'POST' && !!r.headers()['next-action']);
  await form.locator('button[type="submit"]').click();
  const request = await seen;
  const response = await request.response();
  const headers = request.headers();
  const parts = parseMultipart(request.postDataBuffer(), headers['content-type']);
  await context.close();
  if (!parts.some((p) => p.name === '0')) throw new Error('the browser did not hand over the action body');
  const field = (name) => parts.find((p) => p.name.replace(/^_?\d+_/, '') === name && !p.name.includes('$ACTION'));
  if (!field('caseId') || !field('formKey')) throw new Error(`captured action lacks caseId/formKey: ${parts.map((p) => p.name)}`);
  // The action is posted to the page as the browser had it (?open=contact): its answer re-renders that page.
  const search = new URL(request.url()).search;
  return { actionId: headers['next-action'], routerStateTree: headers['next-router-state-tree'], parts, status: response?.status(), caseId, search };
}

/** The gzipped size of every script /dashboard loads, as an advisor sees it. */
async function dashboardJs(browser, cookie) {
  const context = await contextWith(browser, cookie);
  const page = await context.newPage();
  const scripts = new Map();
  page.on('response', (r) => {
    if (r.request().resourceType() === 'script') scripts.set(r.url(), r);
  });
  await page.goto(`${BASE}/dashboard`, { waitUntil: 'networkidle' });
  let raw = 0;
  let gz = 0;
  for (const r of scripts.values()) {
    const body = await r.body();
    raw += body.length;
    gz += gzipSync(body).length;
  }
  await context.close();
  return { scripts: scripts.size, rawKb: +(raw / 1024).toFixed(1), gzipKb: +(gz / 1024).toFixed(1) };
}

// --- load ---------------------------------------------------------------------------------------

function requestFor(target, ctx) {
  switch (target) {
    case 'ceiling':
      return () => ({ url: `${BASE}/bench`, init: { headers: { cookie: ctx.borrowerCookie } }, expect: 'data-bench="ceiling"' });
    case 'ceiling-case':
    case 'ceiling-reminders':
      return () => ({ url: `${BASE}/bench/${target.slice(8)}`, init: { headers: { cookie: ctx.borrowerCookie } }, expect: `data-bench="${target}"` });
    case 'ceiling-dashboard':
      return () => ({ url: `${BASE}/bench/dashboard`, init: { headers: { cookie: ctx.advisorCookie } }, expect: 'data-bench="ceiling-dashboard"' });
    case 'home':
      return () => ({ url: `${BASE}/home`, init: { headers: { cookie: ctx.borrowerCookie } }, expect: 'data-testid="home-page"' });
    case 'case':
      return () => ({ url: `${BASE}/cases/${ctx.subjects.caseId}`, init: { headers: { cookie: ctx.borrowerCookie } }, expect: 'data-testid="case-page"' });
    case 'dashboard':
      return () => ({ url: `${BASE}/dashboard`, init: { headers: { cookie: ctx.advisorCookie } }, expect: 'data-testid="dashboard-page"' });
    case 'reminders':
      return () => ({ url: `${BASE}/reminders`, init: { headers: { cookie: ctx.borrowerCookie } }, expect: 'data-testid="reminders-page"' });
    case 'calendar':
      return () => ({ url: `${BASE}/calendar/${ctx.subjects.calendarToken}.ics`, init: {}, expect: 'BEGIN:VCALENDAR' });
    case 'write': {
      let n = 0;
      const w = ctx.write;
      return () => {
        const writer = ctx.writers[n++ % ctx.writers.length];
        const parts = w.parts.map((p) => {
          const bare = p.name.replace(/^_?\d+_/, '');
          if (p.name.includes('$ACTION')) return p;
          if (bare === 'caseId') return { ...p, value: String(writer.caseId) };
          if (bare === 'formKey') return { ...p, value: randomBytes(18).toString('base64url') };
          return p;
        });
        const { body, contentType } = buildMultipart(parts);
        const tree = w.routerStateTree
          ? encodeURIComponent(decodeURIComponent(w.routerStateTree).split(`"${w.caseId}"`).join(`"${writer.caseId}"`))
          : undefined;
        return {
          url: `${BASE}/cases/${writer.caseId}${w.search ?? ''}`,
          init: {
            method: 'POST',
            body,
            headers: {
              cookie: writer.cookie,
              'next-action': w.actionId,
              accept: 'text/x-component',
              origin: BASE,
              'content-type': contentType,
              ...(tree ? { 'next-router-state-tree': tree } : {}),
            },
          },
          expect: '"status":"ok"',
        };
      };
    }
    default:
      throw new Error(target);
  }
}

async function once(make, check = false) {
  const { url, init, expect } = make();
  const t0 = performance.now();
  const controller = new AbortController();
  let timer;
  // A hard deadline of our own: an abort while a streamed body is being read may leave fetch's
  // promise pending, and one lost request must not stall a whole phase.
  const deadline = new Promise((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve({ ok: false, ms: performance.now() - t0, bytes: 0, timedOut: true });
    }, REQUEST_TIMEOUT_MS);
  });
  const work = (async () => {
    const r = await fetch(url, { ...init, redirect: 'manual', signal: controller.signal });
    const text = await r.text();
    const ok = r.status === 200 && (!check || text.includes(expect));
    if (check && !ok) throw new Error(`${url}: ${r.status}, ${text.length} bytes, lacks ${expect}: ${text.slice(0, 300)}`);
    return { ok, ms: performance.now() - t0, bytes: text.length };
  })();
  try {
    return await Promise.race([work, deadline]);
  } catch (e) {
    if (check) throw e;
    return { ok: false, ms: performance.now() - t0, bytes: 0 };
  } finally {
    clearTimeout(timer);
    work.catch(() => {});
  }
}

/** Waits until the server has used (almost) no CPU for half a second: aborted requests may still be rendering. */
async function settle(pid) {
  for (let i = 0; i < 600; i++) {
    const before = cpuMs(pid);
    await sleep(500);
    if (cpuMs(pid) - before < 30) return;
  }
}

async function closedLoop(make, seconds, pid) {
  const cpu0 = cpuMs(pid);
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  let done = 0;
  let errors = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        const r = await once(make);
        if (r.ok) done += 1;
        else errors += 1;
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = cpuMs(pid) - cpu0;
  return { rps: done / elapsed, errors, requests: done + errors, cpuMsPerReq: cpu / Math.max(1, done + errors), done, elapsed, cpu };
}

/** Closed loops added up: requests answered, failed, seconds and server CPU ms over all of them. */
function addLoop(sums, loop) {
  const a = sums ?? { done: 0, errors: 0, elapsed: 0, cpu: 0 };
  return { done: a.done + loop.done, errors: a.errors + loop.errors, elapsed: a.elapsed + loop.elapsed, cpu: a.cpu + loop.cpu };
}
const loopRps = (sums) => sums.done / sums.elapsed;

/** 100 requests/s on a clock, whatever the answers do; latency from each scheduled send. */
async function openLoop(make, seconds, rps) {
  const total = Math.round(seconds * rps);
  const interval = 1000 / rps;
  const latencies = [];
  let errors = 0;
  const inflight = [];
  const start = performance.now() + 20;
  let i = 0;
  await new Promise((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (i < total && start + i * interval <= now) {
        const scheduled = start + i * interval;
        i += 1;
        inflight.push(
          once(make).then((r) => {
            latencies.push(performance.now() - scheduled);
            if (!r.ok) errors += 1;
          }),
        );
      }
      if (i < total) setTimeout(tick, Math.max(0, start + i * interval - performance.now()));
      else resolve();
    };
    tick();
  });
  await Promise.all(inflight);
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  return { offered: rps, requests: total, errors, p50: pct(50), p99: pct(99), max: latencies.at(-1) };
}

// --- one size -------------------------------------------------------------------------------------

function startServer(dbFile, size, snapshotsDir) {
  const dataDir = path.join(BENCH_DATA, `run${TAG}-${size}`);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const profDir = path.join(OUT_DIR, 'profiles', size);
  if (CPU_PROF || TRACE_GC) mkdirSync(profDir, { recursive: true });
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    NEXT_DIST_DIR: DIST_DIR,
    DATA_DIR: dataDir,
    DATABASE_PATH: dbFile,
    UPLOAD_DIR: path.join(dataDir, 'uploads'),
    AUTH_SECRET: 'bench-only-secret-0123456789abcdef0123456789abcdef',
    AUTH_TRUST_HOST: 'true',
    NEXT_TELEMETRY_DISABLED: '1',
    RESPITE_SCHEDULER: 'off',
    RESPITE_BENCH: '1',
    RESPITE_BENCH_SNAPSHOTS: snapshotsDir,
    LOGIN_LIMIT_PER_ADDRESS: '100000',
    LOGIN_LIMIT_PER_ACCOUNT: '1000',
  };
  // The server's flags as `npm start` gives them (RESPITE_HEAP_MB), and the profiler's when asked.
  const nodeArgs = [...serverNodeArgs(process.env, undefined, SERVER_CPUS), ...(CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []), ...(TRACE_GC ? ['--trace-gc'] : [])];
  // The production server (scripts/server.mjs, as `npm start` runs it), pinned to core 0.
  const child = spawn('taskset', ['-c', '0', process.execPath, ...nodeArgs, SERVER, '--hostname', '127.0.0.1', '--port', String(PORT)], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  return { child, output: () => output, dataDir, logFile: TRACE_GC ? path.join(profDir, 'server.log') : null };
}

async function stopServer(server) {
  if (server.child.exitCode !== null) return;
  const exited = new Promise((r) => server.child.once('exit', r));
  server.child.kill('SIGTERM');
  await Promise.race([exited, sleep(15_000)]);
  if (server.child.exitCode === null) server.child.kill('SIGKILL');
}

async function waitReady(server) {
  for (let i = 0; i < 600; i++) {
    if (server.child.exitCode !== null) throw new Error(`server exited:\n${server.output()}`);
    try {
      const r = await fetch(`${BASE}/signin`);
      await r.arrayBuffer();
      if (r.status === 200) return;
    } catch {
      // not yet
    }
    await sleep(100);
  }
  throw new Error('server did not start');
}

async function benchSize(size, dataset, today) {
  const work = path.join(BENCH_DATA, `work${TAG}-${size}.db`);
  for (const s of ['', '-wal', '-shm', '-lock']) rmSync(work + s, { force: true });
  copyFileSync(dataset.file, work);
  const subjects = pickSubjects(work, today);
  log(`${size}: ${subjects.counts.cases} cases; borrower ${subjects.borrower.email} (case ${subjects.caseId}), advisor ${subjects.advisor.email} (${subjects.counts.advisorClients} clients)`);
  const subjectsFile = path.join(BENCH_DATA, `subjects${TAG}-${size}.json`);
  writeFileSync(subjectsFile, JSON.stringify(subjects));
  // The ceilings' constants: what each page's loader reads for these subjects in this database.
  const snapshotsDir = path.join(BENCH_DATA, `snapshots${TAG}-${size}`);
  rmSync(snapshotsDir, { recursive: true, force: true });
  const snap = spawnSync(process.execPath, [TSX_BIN, 'scripts/bench/snapshot.ts', '--db', work, '--subjects', subjectsFile, '--out', snapshotsDir], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (snap.status !== 0) throw new Error(`the snapshots failed:\n${snap.stdout}${snap.stderr}`);
  log(`${size}: ${snap.stdout.trim().split('\n').join('; ')}`);
  const server = startServer(work, size, snapshotsDir);
  const result = { dataset: { file: path.relative(ROOT, dataset.file), reused: dataset.reused, generatedS: +(dataset.generatedMs / 1000).toFixed(1), ...subjects.counts }, targets: {} };
  // Peak VmRSS over the whole run, and over each target's phases (which page drives the peak).
  let rssMaxKb = 0;
  let measuring = null;
  const phaseMaxKb = {};
  let atPeak = null;
  let sampler;
  try {
    await waitReady(server);
    const pid = server.child.pid;
    const ctx = { subjects };
    ctx.borrowerCookie = await signIn(subjects.borrower.email);
    ctx.advisorCookie = await signIn(subjects.advisor.email);
    if (TARGETS.includes('write')) {
      ctx.writers = [];
      for (const w of subjects.writers) ctx.writers.push({ ...w, cookie: await signIn(w.email) });
    }
    await withBrowser(async (browser) => {
      if (TARGETS.includes('write')) {
        ctx.write = await captureWrite(browser, ctx.writers[0].cookie, ctx.writers[0].caseId);
        log(`${size}: captured the contact action ${ctx.write.actionId.slice(0, 12)}… (${ctx.write.parts.length} parts, answered ${ctx.write.status})`);
      }
      if (size === 'everyday' || !bundle) bundle = await dashboardJs(browser, ctx.advisorCookie);
    });
    sampler = setInterval(() => {
      const kb = memKb(pid, 'VmRSS');
      if (kb > rssMaxKb) atPeak = residentKb(pid);
      rssMaxKb = Math.max(rssMaxKb, kb);
      if (measuring) phaseMaxKb[measuring] = Math.max(phaseMaxKb[measuring] ?? 0, kb);
    }, 200);
    // Every route warm (loaded, JIT-compiled) before the first measurement: the ceiling, measured
    // first, would otherwise be measured colder than the pages after it.
    const makers = Object.fromEntries(TARGETS.map((t) => [t, requestFor(t, ctx)]));
    for (const target of TARGETS) await once(makers[target], true);
    for (const target of TARGETS) await closedLoop(makers[target], PHASES.warmS, pid);
    await settle(pid);
    const warmedRssKb = memKb(pid, 'VmRSS');
    // Throughput: each page in turns with its own ceiling, in short closed loops (C P C P …), so that
    // the machine's drift and the server's heap over the run fall on the two alike. A page's "× its
    // ceiling" is against the ceiling's rounds beside it; a ceiling's own figures add up all its rounds
    // (the home's also anchors the calendar, the case page's the write).
    const closedSums = {};
    const pairedCeilingRps = {};
    const roundS = PHASES.closedS / PHASES.rounds;
    for (const page of TARGETS.filter((t) => !isCeiling(t))) {
      const pair = [CEILING_OF[page], page];
      for (const t of pair) {
        measuring = t;
        const warm = await closedLoop(makers[t], PHASES.warmS, pid);
        if (warm.errors) log(`${size} ${t}: ${warm.errors} failed in the warm-up`);
      }
      let ceilingSums;
      for (let round = 0; round < PHASES.rounds; round++) {
        for (const t of pair) {
          measuring = t;
          const loop = await closedLoop(makers[t], roundS, pid);
          closedSums[t] = addLoop(closedSums[t], loop);
          if (t === pair[0]) ceilingSums = addLoop(ceilingSums, loop);
        }
      }
      pairedCeilingRps[page] = loopRps(ceilingSums);
    }
    // A ceiling no page asked for beside it (the home's, with --only): measured alone.
    for (const t of TARGETS.filter((t) => isCeiling(t) && !closedSums[t])) {
      measuring = t;
      await closedLoop(makers[t], PHASES.warmS, pid);
      closedSums[t] = addLoop(undefined, await closedLoop(makers[t], PHASES.closedS, pid));
    }
    await settle(pid);
    // Latency: each target's open loops, one target after another.
    for (const target of TARGETS) {
      measuring = target;
      const make = makers[target];
      const first = await once(make, true);
      if (!first.ok) throw new Error(`${target}: no answer within ${REQUEST_TIMEOUT_MS} ms`);
      const closed = closedSums[target];
      const rps = loopRps(closed);
      // A server that cannot keep up with the offered load anyway only builds a queue: a short
      // open loop shows that (its p99 is the queue, up to the timeout) without minutes of backlog.
      const saturated = rps < OFFERED_RPS * 0.9;
      // The server does not stop rendering what a client gave up on, so that queue is drained
      // (settle) before the next target: the next measurement must not pay for this one's backlog.
      const open = await openLoop(make, saturated ? Math.min(2, PHASES.openS) : PHASES.openS, OFFERED_RPS);
      await settle(pid);
      // Shown, not a target: the same open loop at half of what the page serves in the closed loop
      // says whether its p99 holds below saturation (at 100/s most pages here are saturated, and
      // their p99 is the queue).
      const below = TARGETS_FIGURES.p99[target] ? await openLoop(make, PHASES.openS, Math.max(1, Math.floor(rps / 2))) : null;
      if (below) await settle(pid);
      result.targets[target] = {
        rps: +rps.toFixed(1),
        ...(pairedCeilingRps[target] !== undefined && { pairedCeilingRps: +pairedCeilingRps[target].toFixed(1) }),
        p50: +open.p50.toFixed(2),
        p99: +open.p99.toFixed(2),
        maxMs: +open.max.toFixed(1),
        cpuMsPerReq: +(closed.cpu / Math.max(1, closed.done + closed.errors)).toFixed(3),
        saturated,
        bytes: first.bytes,
        ...(below && { belowSaturation: { offered: below.offered, p50: +below.p50.toFixed(2), p99: +below.p99.toFixed(2) } }),
        rssPeakMb: +(Math.max(phaseMaxKb[target] ?? 0, memKb(pid, 'VmRSS')) / 1024).toFixed(0),
        errors: closed.errors + open.errors + (below?.errors ?? 0),
        requests: closed.done + closed.errors + open.requests + (below?.requests ?? 0),
      };
      const r = result.targets[target];
      log(`${size} ${target.padEnd(9)} ${r.rps.toFixed(0).padStart(5)} req/s${r.pairedCeilingRps ? ` (its ceiling beside it ${r.pairedCeilingRps.toFixed(0)})` : ''}  p50 ${r.p50.toFixed(1).padStart(7)} ms  p99 ${r.p99.toFixed(1).padStart(7)} ms  CPU ${r.cpuMsPerReq.toFixed(2)} ms/req  ${(r.bytes / 1024).toFixed(0)} kB${r.errors ? `  ERRORS ${r.errors}` : ''}`);
    }
    measuring = null;
    clearInterval(sampler);
    result.rss = { peakSampledMb: +(rssMaxKb / 1024).toFixed(0), hwmMb: +(memKb(pid, 'VmHWM') / 1024).toFixed(0), afterWarmUpMb: +(warmedRssKb / 1024).toFixed(0), ...(atPeak && { peakAnonMb: +(atPeak.anon / 1024).toFixed(0), peakFileMb: +(atPeak.file / 1024).toFixed(0) }) };
  } finally {
    clearInterval(sampler);
    await stopServer(server);
    if (server.logFile) writeFileSync(server.logFile, server.output());
  }
  // The floor, in process, on the same database (the server is stopped).
  const floorFile = path.join(BENCH_DATA, `floor${TAG}-${size}.json`);
  const floor = spawnSync('taskset', ['-c', '0', process.execPath, TSX_BIN, 'scripts/bench/floor.ts', '--db', work, '--subjects', subjectsFile, '--out', floorFile], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (floor.status !== 0) throw new Error(`the floor failed:\n${floor.stdout}`);
  result.floor = JSON.parse(readFileSync(floorFile, 'utf8'));
  for (const s of ['', '-wal', '-shm', '-lock']) rmSync(work + s, { force: true });
  rmSync(server.dataDir, { recursive: true, force: true });
  rmSync(snapshotsDir, { recursive: true, force: true });
  return result;
}

// --- the report ---------------------------------------------------------------------------------

let bundle = null;

function evaluate(results) {
  const checks = [];
  const check = (what, value, limit, pass, note = '') => checks.push({ what, value, limit, pass, note });
  const ev = results.sizes.everyday;
  for (const [size, r] of Object.entries(results.sizes)) {
    for (const [name, t] of Object.entries(r.targets)) {
      if (isCeiling(name)) continue;
      const floor = r.floor[name];
      t.ceiling = CEILING_OF[name];
      t.ceilingRatio = +(t.rps / (t.pairedCeilingRps ?? r.targets[t.ceiling].rps)).toFixed(2);
      // Against the home's ceiling, as every page was compared before each had its own: shown, not a target.
      t.homeCeilingRatio = +(t.rps / r.targets.ceiling.rps).toFixed(2);
      if (floor) {
        t.floorMs = +(floor.floorUs / 1000).toFixed(3);
        t.dbShare = +(floor.floorUs / 1000 / t.cpuMsPerReq).toFixed(3);
      }
      if (size !== 'everyday' && ev?.targets[name]) t.vsEveryday = +(ev.targets[name].rps / t.rps).toFixed(2);
      if (name !== 'write' && name !== 'calendar') check(`${size} ${name}: throughput ≥ 0.8× its ceiling`, t.ceilingRatio, TARGETS_FIGURES.ceilingRatio, t.ceilingRatio >= TARGETS_FIGURES.ceilingRatio);
      if (t.dbShare !== undefined) check(`${size} ${name}: DB ≤ 10% of CPU`, t.dbShare, TARGETS_FIGURES.dbShare, t.dbShare <= TARGETS_FIGURES.dbShare);
      const p99Limit = TARGETS_FIGURES.p99[name];
      if (size === 'everyday' && p99Limit) check(`everyday ${name}: p99 ≤ ${p99Limit} ms at ${OFFERED_RPS}/s`, t.p99, p99Limit, t.p99 <= p99Limit);
      if (t.vsEveryday !== undefined) check(`${size} ${name}: ≤ 1.5× everyday (time per request)`, t.vsEveryday, TARGETS_FIGURES.largeRatio, t.vsEveryday <= TARGETS_FIGURES.largeRatio);
      if (t.errors > 0) check(`${size} ${name}: no failed requests`, t.errors, 0, false);
    }
    if (r.rss) check(`${size}: server RSS ≤ 300 MB`, Math.max(r.rss.hwmMb, r.rss.peakSampledMb), TARGETS_FIGURES.rssMb, Math.max(r.rss.hwmMb, r.rss.peakSampledMb) <= TARGETS_FIGURES.rssMb);
    // drizzle on hot paths: prepared, and within 1.25× of raw (the verbs of the measured pages)
    const seen = new Set();
    for (const [page, f] of Object.entries(r.floor)) {
      if (page === 'ceiling') continue;
      for (const v of f.verbs) {
        const key = v.verb.replace(/ \(re-render\)$/, '');
        if (seen.has(key)) continue;
        seen.add(key);
        check(`${size} drizzle ${key}: prepared`, v.preparesPerCall, 0, v.preparesPerCall === 0);
        check(`${size} drizzle ${key}: ≤ 1.25× raw`, v.ratio, TARGETS_FIGURES.drizzleRatio, v.ratio <= TARGETS_FIGURES.drizzleRatio);
      }
    }
  }
  if (results.bundle) check('advisor dashboard JS ≤ 150 kB gzipped', results.bundle.gzipKb, TARGETS_FIGURES.dashboardJsKb, results.bundle.gzipKb <= TARGETS_FIGURES.dashboardJsKb);
  return checks;
}

const fmt = (n, d = 1) => (n === undefined || n === null ? '–' : Number(n).toFixed(d));
const mark = (pass) => (pass ? 'pass' : '**miss**');

function markdown(results) {
  const m = results.machine;
  const lines = [
    '# Benchmark results',
    '',
    `Run ${m.date} · ${m.cpu}, ${m.cores} cores, ${m.memGb} GB · Node ${m.node} · load average before the run ${m.loadAvgBefore.join(' / ')} · took ${results.tookS} s`,
    '',
    `Server pinned to core 0, load generator on core 1. req/s: closed loop, ${CONCURRENCY} connections, ${PHASES.closedS} s a page in ${PHASES.rounds} rounds taken in turns with its ceiling's (C P C P …); a page's × its ceiling is against the ceiling's rounds beside it, a ceiling's row adds up all its rounds. p50/p99: open loop at ${OFFERED_RPS} req/s offered for ${PHASES.openS} s, timed from the scheduled send. CPU: utime+stime of the server per request over the closed loop. DB floor: the same statements on raw better-sqlite3, in process. Server's Node flags, as \`npm start\` gives them: ${results.serverFlags?.length ? results.serverFlags.map((f) => `\`${f}\``).join(' ') : 'none'}. Command: \`${results.command}\`.`,
    '',
  ];
  for (const [size, r] of Object.entries(results.sizes)) {
    lines.push(`## ${size} — ${r.dataset.cases.toLocaleString('en')} cases, ${r.dataset.borrowers.toLocaleString('en')} borrowers; advisor with ${r.dataset.advisorClients} clients`, '');
    lines.push('| what | req/s | × its ceiling (≥ 0.8) | × home\'s ceiling | p50 ms | p99 ms (target) | CPU ms/req | DB floor ms | DB share (≤ 10 %) | vs everyday (≤ 1.5×) | kB |');
    lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const [name, t] of Object.entries(r.targets)) {
      const p99Limit = TARGETS_FIGURES.p99[name];
      const p99 = `${fmt(t.p99)}${size === 'everyday' && p99Limit ? ` (${p99Limit}) ${t.p99 <= p99Limit ? '✓' : '✗'}` : ''}`;
      const ratio = isCeiling(name) ? '–' : `${fmt(t.ceilingRatio, 2)}${name === 'write' || name === 'calendar' ? ` (${t.ceiling})` : t.ceilingRatio >= 0.8 ? ' ✓' : ' ✗'}`;
      const homeRatio = name === 'ceiling' ? '1.00' : isCeiling(name) ? fmt(t.rps / r.targets.ceiling.rps, 2) : fmt(t.homeCeilingRatio, 2);
      const share = t.dbShare === undefined ? '–' : `${fmt(t.dbShare * 100)} %${t.dbShare <= 0.1 ? ' ✓' : ' ✗'}`;
      const vs = t.vsEveryday === undefined ? '–' : `${fmt(t.vsEveryday, 2)}×${t.vsEveryday <= 1.5 ? ' ✓' : ' ✗'}`;
      lines.push(`| ${name}${t.errors ? ` (${t.errors} errors)` : ''} | ${fmt(t.rps, 0)} | ${ratio} | ${homeRatio} | ${fmt(t.p50)} | ${p99} | ${fmt(t.cpuMsPerReq, 2)} | ${fmt(t.floorMs, 2)} | ${share} | ${vs} | ${fmt(t.bytes / 1024, 0)} |`);
    }
    const below = Object.entries(r.targets).filter(([, t]) => t.belowSaturation);
    if (below.length) {
      lines.push(
        '',
        `Below saturation (shown, not a target): the same open loop at half of what each page serves in the closed loop — ${below
          .map(([name, t]) => `${name} p99 ${fmt(t.belowSaturation.p99)} ms at ${t.belowSaturation.offered}/s${size === 'everyday' ? ` (target ${TARGETS_FIGURES.p99[name]})` : ''}`)
          .join('; ')}.`,
      );
    }
    const cold = r.floor['dashboard, nothing kept'];
    if (cold) {
      const v = cold.verbs[0];
      lines.push('', `Dashboard with nothing kept (the first request after a write about one of the advisor's clients; not measured over HTTP): its verbs take ${fmt(v.verbUs / 1000, 2)} ms in process, ${fmt(v.drizzleUs / 1000, 2)} ms of it in their drizzle queries and ${fmt(cold.floorUs / 1000, 2)} ms of SQL on raw better-sqlite3; a request that finds them kept reads the advisor's data version alone (${fmt(r.floor.dashboard?.floorUs / 1000, 2)} ms of SQL for the page).`);
    }
    if (r.rss) {
      const perPage = Object.entries(r.targets).filter(([, t]) => t.rssPeakMb !== undefined);
      lines.push(
        '',
        `Server RSS: peak sampled ${r.rss.peakSampledMb} MB, VmHWM ${r.rss.hwmMb} MB (≤ 300 MB ${Math.max(r.rss.hwmMb, r.rss.peakSampledMb) <= 300 ? '✓' : '✗'})${
          r.rss.peakAnonMb !== undefined ? ` — at the peak ${r.rss.peakAnonMb} MB anonymous (JavaScript heap, malloc), ${r.rss.peakFileMb} MB file-backed (code, libraries)` : ''
        }${r.rss.afterWarmUpMb ? `; ${r.rss.afterWarmUpMb} MB after every page's warm-up` : ''}${perPage.length ? `; peak while each was measured: ${perPage.map(([name, t]) => `${name} ${t.rssPeakMb}`).join(', ')} MB` : ''}.`,
      );
    }
    lines.push(
      '',
      `<details><summary>drizzle vs raw better-sqlite3, per verb (${size})</summary>`,
      '',
      'verb µs: the whole verb, its own JavaScript included. drizzle µs: its queries alone, as drizzle runs them (the same prepared queries, placeholder values and row mapping). raw µs: the same statements on plain better-sqlite3, rows read as objects (arrays where drizzle asks for arrays). ×: drizzle ÷ raw.',
      '',
      '| page | verb | statements | prepares per call | verb µs | drizzle µs | raw µs | × (≤ 1.25) |',
      '|---|---|---:|---:|---:|---:|---:|---:|',
    );
    for (const [page, f] of Object.entries(r.floor)) for (const v of f.verbs) lines.push(`| ${page} | ${v.verb} | ${v.statements} | ${v.preparesPerCall} | ${fmt(v.verbUs)} | ${fmt(v.drizzleUs)} | ${fmt(v.rawUs)} | ${fmt(v.ratio, 2)} |`);
    lines.push('', '</details>', '');
  }
  if (results.bundle) lines.push(`Advisor dashboard JavaScript: ${results.bundle.scripts} scripts, ${results.bundle.rawKb} kB, **${results.bundle.gzipKb} kB gzipped** (≤ 150 kB ${results.bundle.gzipKb <= 150 ? '✓' : '✗'}).`, '');
  const missed = results.checks.filter((c) => !c.pass);
  lines.push(`## Targets: ${results.checks.length - missed.length} met, ${missed.length} missed`, '');
  for (const c of missed) lines.push(`- miss: ${c.what} — ${c.value} (limit ${c.limit})`);
  lines.push('');
  return lines.join('\n');
}

// --- main -----------------------------------------------------------------------------------------

async function main() {
  const m = machine();
  log(`${m.cpu} × ${m.cores}, node ${m.node}, load average ${m.loadAvgBefore.join(' ')}`);
  const today = todayInShanghai();
  if (!flag('skip-build')) {
    const reason = buildReason();
    if (reason) {
      log(`building into ${DIST_DIR}: ${reason}`);
      // next build adds its build folder's type paths to tsconfig.json: put the file back as it was.
      const tsconfigPath = path.join(ROOT, 'tsconfig.json');
      const tsconfig = readFileSync(tsconfigPath);
      const { atime, mtime } = statSync(tsconfigPath);
      const b = spawnSync(process.execPath, [NEXT_BIN, 'build'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NEXT_DIST_DIR: DIST_DIR, NEXT_TELEMETRY_DISABLED: '1' } });
      writeFileSync(tsconfigPath, tsconfig);
      // With its old times too: the file is as it was, and the next run must not build again for it.
      utimesSync(tsconfigPath, atime, mtime);
      if (b.status !== 0) throw new Error('next build failed');
    } else log(`${DIST_DIR} is up to date`);
  }
  const datasets = {};
  for (const size of SIZES) datasets[size] = ensureDataset({ size, seed: SEED, today, log });
  // From here on this process (the load generator) keeps to core 1; the server gets core 0.
  spawnSync('taskset', ['-a', '-cp', '1', String(process.pid)], { stdio: 'ignore' });
  const results = { machine: m, command: `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`, serverFlags: serverNodeArgs(process.env, undefined, SERVER_CPUS), generatorVersion: generatorVersion(), seed: SEED, today, sizes: {} };
  for (const size of SIZES) results.sizes[size] = await benchSize(size, datasets[size], today);
  results.bundle = bundle;
  results.tookS = Math.round((Date.now() - started) / 1000);
  results.checks = evaluate(results);
  mkdirSync(OUT_DIR, { recursive: true });
  const md = markdown(results);
  if (!QUICK && !opt('only') && !opt('sizes')) {
    writeFileSync(path.join(OUT_DIR, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(path.join(OUT_DIR, 'results.md'), md);
  } else {
    // A partial run (some sizes or targets, or short phases) does not replace the results.
    writeFileSync(path.join(BENCH_DATA, `partial-results${TAG}.json`), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(path.join(BENCH_DATA, `partial-results${TAG}.md`), md);
  }
  console.log(`\n${md}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

/**
 * The durability suite's own servers and load generator (e2e/durability.spec.ts).
 *
 * The spec starts its own production servers (scripts/server.mjs, as `npm start` runs it; not
 * Playwright's webServer), because it kills
 * them with SIGKILL in the middle of a load and starts them again on the same database. The load
 * talks to the real server actions over HTTP: the action ids come from the build's manifest
 * (buildActions), the body is the reply encoding the browser sends for a `useActionState` form
 * (fields as `_1_<name>`, then the root part `0`), as e2e/authorization.spec.ts replays it.
 */
import { hash } from '@node-rs/argon2';
import Database from 'better-sqlite3';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { addDays, buildActions, todayShanghai } from './helpers';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SERVER = path.join(ROOT, 'scripts/server.mjs');
const TSX_CLI = path.join(ROOT, 'node_modules/tsx/dist/cli.mjs');

// --- the data folder and the server processes ---------------------------------------------------

export type DataDir = { dir: string; databasePath: string; uploadDir: string; env: NodeJS.ProcessEnv };

/** A fresh, migrated database in .test-data/durability-<name>, and the environment a server needs for it. */
export function freshDataDir(name: string): DataDir {
  const dir = path.join(ROOT, '.test-data', `durability-${name}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const databasePath = path.join(dir, 'respite.db');
  const uploadDir = path.join(dir, 'uploads');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    DATA_DIR: dir,
    DATABASE_PATH: databasePath,
    UPLOAD_DIR: uploadDir,
    AUTH_SECRET: 'durability-only-secret-0123456789abcdef0123456789',
    AUTH_TRUST_HOST: 'true',
    NEXT_TELEMETRY_DISABLED: '1',
    NEXT_DIST_DIR: process.env.NEXT_DIST_DIR || '.next',
    LOGIN_LIMIT_PER_ADDRESS: '100000',
    SIGNUP_LIMIT_PER_ADDRESS: '100000',
    // The minute tick would only add noise to the figures; the load is the point here.
    RESPITE_SCHEDULER: 'off',
  };
  runScript(env, 'scripts/migrate.ts');
  return { dir, databasePath, uploadDir, env };
}

/** Runs one of scripts/*.ts with tsx, as `npm run …` would; returns its exit code and output. */
export function runScript(env: NodeJS.ProcessEnv, script: string, args: string[] = [], { mustSucceed = true } = {}) {
  const result = spawnSync(process.execPath, [TSX_CLI, script, ...args], { cwd: ROOT, env, encoding: 'utf8' });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (mustSucceed && result.status !== 0) throw new Error(`${script} ${args.join(' ')} failed (${result.status}): ${output}`);
  return { status: result.status, output };
}

export type Server = {
  port: number;
  baseURL: string;
  /** The pid of the server process itself (spawned directly: no wrapper in between; Next runs inside it). */
  pid: number;
  /** SIGKILL to the server's whole process group: no handler runs, nothing is flushed. */
  kill9: () => Promise<void>;
  stop: () => Promise<void>;
  log: () => string;
};

/** The production server (scripts/server.mjs) on 127.0.0.1:port against the data folder; resolves once it answers. */
export async function startServer(data: DataDir, port: number): Promise<Server> {
  const child: ChildProcess = spawn(process.execPath, [SERVER, '--hostname', '127.0.0.1', '--port', String(port)], {
    cwd: ROOT,
    env: data.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // A process group of its own, so that kill9 reaches anything the server may have started too.
    detached: true,
  });
  let log = '';
  child.stdout!.on('data', (c: Buffer) => (log += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (log += c.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const signal = async (sig: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // already gone
    }
    await exited;
  };
  const baseURL = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server on ${port} exited (${child.exitCode}): ${log}`);
    try {
      const res = await fetch(`${baseURL}/signin`, { redirect: 'manual' });
      if (res.status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await signal('SIGKILL');
      throw new Error(`the server on ${port} did not answer within 60 s: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { port, baseURL, pid: child.pid!, kill9: () => signal('SIGKILL'), stop: () => signal('SIGTERM'), log: () => log };
}

// --- accounts --------------------------------------------------------------------------------

export const LOAD_PASSWORD = 'durability-password-1';

/** Borrowers made directly in the database (before the server starts): one argon2 hash for all. */
export async function makeBorrowers(data: DataDir, count: number): Promise<string[]> {
  const passwordHash = await hash(LOAD_PASSWORD);
  const db = new Database(data.databasePath);
  try {
    const insert = db.prepare(`INSERT INTO users (email, display_name, role, locale, password_hash) VALUES (?, ?, 'borrower', 'zh-CN', ?)`);
    const emails = Array.from({ length: count }, (_, i) => `load-${i}@durability.test`);
    db.transaction(() => emails.forEach((email, i) => insert.run(email, `压测借款人${i}`, passwordHash)))();
    return emails;
  } finally {
    db.close();
  }
}

/** Signs in with the credentials provider over HTTP (csrf token, then the callback); returns the Cookie header. */
export async function signInOverHttp(baseURL: string, email: string, password = LOAD_PASSWORD): Promise<string> {
  const csrf = await fetch(`${baseURL}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  };
  keep(csrf);
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(`${baseURL}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookie() },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${baseURL}/cases` }),
  });
  keep(res);
  if (![...jar.keys()].some((k) => k.endsWith('authjs.session-token'))) {
    throw new Error(`sign-in of ${email} failed: ${res.status} ${res.headers.get('location')}`);
  }
  return cookie();
}

// --- server actions over HTTP -------------------------------------------------------------------

export type ActionRef = { id: string; path: (caseId?: number) => string };

/** The build's ids of the three actions the load uses, and the page each form is on. */
export function loadActions(): { createCase: ActionRef; submitAttempt: ActionRef; addContact: ActionRef } {
  const actions = buildActions();
  const find = (filename: string, exportedName: string) => {
    const a = actions.find((x) => x.filename === filename && x.exportedName === exportedName);
    if (!a) throw new Error(`${filename}#${exportedName} is not in the build's server-reference manifest`);
    return a.id;
  };
  return {
    createCase: { id: find('app/cases/actions.ts', 'createCaseAction'), path: () => '/cases/new' },
    submitAttempt: { id: find('app/cases/[id]/actions.ts', 'submitAttemptAction'), path: (id) => `/cases/${id}` },
    addContact: { id: find('app/cases/[id]/actions.ts', 'addContactAction'), path: (id) => `/cases/${id}` },
  };
}

/** What came back from one action request. */
export type ActionAnswer =
  | { kind: 'ok'; redirect?: string; body: string }
  | { kind: 'refused'; status: number; body: string }
  /** No answer at all (the server died, or was never there). Never counted as acknowledged. */
  | { kind: 'no-answer'; error: string };

/** Text that must never reach a user, whatever the answer. */
export const LEAKS = /database is locked|SQLITE_[A-Z]+|database disk image|Internal Server Error/i;

export async function postAction(baseURL: string, cookie: string, action: ActionRef, caseId: number | undefined, fields: Record<string, string>): Promise<ActionAnswer> {
  // As the browser sends a `useActionState` form: the fields as `_1_<name>`, then the root part.
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.append(`_1_${name}`, value);
  body.append('0', '[{"status":"idle"},"$K1"]');
  let res: Response;
  let text: string;
  try {
    res = await fetch(`${baseURL}${action.path(caseId)}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'next-action': action.id, accept: 'text/x-component', origin: baseURL, cookie },
      body,
    });
    text = await res.text();
  } catch (error) {
    return { kind: 'no-answer', error: error instanceof Error ? `${error.message} ${String((error as { cause?: unknown }).cause ?? '')}` : String(error) };
  }
  const redirect = res.headers.get('x-action-redirect') ?? undefined;
  if (res.status === 200 || (redirect && res.status < 400)) {
    if (redirect || /"status":"ok"/.test(text)) return { kind: 'ok', redirect, body: text };
  }
  return { kind: 'refused', status: res.status, body: text };
}

// --- the load ------------------------------------------------------------------------------------

export type LoadClient = { email: string; cookie: string; server: Server };

export type LoadFigures = {
  /** The run's tag: every marker starts w-<tag>-. */
  tag: string;
  attempted: number;
  acknowledged: number;
  /** Markers of the acknowledged writes, by table. */
  acked: { cases: string[]; attempts: string[]; contacts: string[] };
  /** The acknowledged cases: marker, id, and the client (index) that owns it. */
  caseIds: { marker: string; caseId: number; client: number }[];
  /** Answers that were refusals or leaked an internal error: each one is a failure of the test. */
  problems: string[];
  /** Requests that got no answer (expected only when a server was killed). */
  unanswered: number;
};

function formKey(): string {
  return `k${randomBytes(12).toString('hex')}`;
}

/**
 * `clients` borrowers at once, each in a loop: create a case (its note is the marker), submit the
 * first application (its lender reference is the marker), log two contacts (their summaries are
 * the markers). A write counts as acknowledged only when its answer says so (the redirect to the
 * new case, or the form's `ok` state). `until()` is asked before every write: the load stops once
 * it says so. A client whose request gets no answer stops (its server is gone).
 */
export async function runLoad(clients: LoadClient[], lenderId: number, until: (f: LoadFigures) => boolean, tag: string): Promise<LoadFigures> {
  const actions = loadActions();
  const today = todayShanghai();
  const yesterday = addDays(today, -1);
  const figures: LoadFigures = { tag, attempted: 0, acknowledged: 0, acked: { cases: [], attempts: [], contacts: [] }, caseIds: [], problems: [], unanswered: 0 };
  const check = (what: string, answer: ActionAnswer): boolean => {
    if (answer.kind === 'no-answer') {
      figures.unanswered += 1;
      return false;
    }
    const body = answer.body;
    if (LEAKS.test(body)) figures.problems.push(`${what}: an internal error reached the client: ${body.slice(0, 300)}`);
    if (answer.kind === 'refused') figures.problems.push(`${what}: refused (${answer.status}): ${body.slice(0, 300)}`);
    return answer.kind === 'ok';
  };

  const one = async (client: LoadClient, c: number) => {
    const base = client.server.baseURL;
    for (let n = 0; !until(figures); n++) {
      const marker = `w-${tag}-${c}-${n}`;
      figures.attempted += 1;
      const created = await postAction(base, client.cookie, actions.createCase, undefined, {
        formKey: formKey(),
        lenderId: String(lenderId),
        product: '',
        accountRef: '',
        principal: '1234.56',
        interest: '',
        penalty: '',
        overdueSince: '',
        note: `${marker} 压测`,
      });
      if (!check(`create ${marker}`, created)) {
        if (created.kind === 'no-answer') return;
        continue;
      }
      const caseId = Number(/\/cases\/(\d+)/.exec((created as { redirect?: string }).redirect ?? '')?.[1]);
      if (!caseId) {
        figures.problems.push(`create ${marker}: acknowledged without a case id: ${(created as { redirect?: string }).redirect}`);
        continue;
      }
      figures.acknowledged += 1;
      figures.acked.cases.push(marker);
      figures.caseIds.push({ marker, caseId, client: c });

      if (until(figures)) return;
      figures.attempted += 1;
      const submitted = await postAction(base, client.cookie, actions.submitAttempt, caseId, {
        caseId: String(caseId),
        version: '1',
        program: 'instalments',
        channel: 'app',
        submittedOn: today,
        lenderRef: `${marker}-a`,
        proposedPeriods: '24',
        proposedMonthly: '500',
        proposedFirstPaymentOn: '',
        proposedWaived: '',
      });
      if (check(`submit ${marker}`, submitted)) {
        figures.acknowledged += 1;
        figures.acked.attempts.push(`${marker}-a`);
      } else if (submitted.kind === 'no-answer') return;

      for (const k of [1, 2]) {
        if (until(figures)) return;
        figures.attempted += 1;
        const contact = await postAction(base, client.cookie, actions.addContact, caseId, {
          caseId: String(caseId),
          formKey: formKey(),
          channel: 'phone',
          direction: 'outgoing',
          occurredAt: `${yesterday}T09:30`, // never "in the future", whatever the hour
          agentId: `A${c}`,
          theirNumber: '95555',
          summary: `${marker}-k${k} 客服说会回电`,
          promise: '',
          promiseDue: '',
          promiseWorkdays: '',
        });
        if (check(`contact ${marker}-k${k}`, contact)) {
          figures.acknowledged += 1;
          figures.acked.contacts.push(`${marker}-k${k}`);
        } else if (contact.kind === 'no-answer') return;
      }
    }
  };
  await Promise.all(clients.map((client, c) => one(client, c)));
  return figures;
}

// --- what the database holds ----------------------------------------------------------------------

export type Found = { cases: Set<string>; attempts: Set<string>; contacts: Set<string> };

/** The markers the database holds, read directly (as after a crash: the server is down or not). */
export function markersInDatabase(databasePath: string, tag: string): Found {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    const like = `w-${tag}-%`;
    const col = (sql: string) => new Set((db.prepare(sql).all(like) as { m: string }[]).map((r) => r.m));
    return {
      cases: col(`SELECT substr(note, 1, instr(note, ' ') - 1) AS m FROM cases WHERE note LIKE ?`),
      attempts: col(`SELECT lender_ref AS m FROM attempts WHERE lender_ref LIKE ?`),
      contacts: col(`SELECT substr(summary, 1, instr(summary, ' ') - 1) AS m FROM contacts WHERE summary LIKE ?`),
    };
  } finally {
    db.close();
  }
}

/** `PRAGMA integrity_check` and `PRAGMA foreign_key_check` of the database file. */
export function databaseChecks(databasePath: string): { integrity: string; foreignKeyProblems: unknown[] } {
  const db = new Database(databasePath, { fileMustExist: true });
  try {
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
    return { integrity, foreignKeyProblems: db.pragma('foreign_key_check') as unknown[] };
  } finally {
    db.close();
  }
}

/** The acknowledged markers the database does not hold. */
export function missingMarkers(figures: LoadFigures, found: Found): string[] {
  return [
    ...figures.acked.cases.filter((m) => !found.cases.has(m)),
    ...figures.acked.attempts.filter((m) => !found.attempts.has(m)),
    ...figures.acked.contacts.filter((m) => !found.contacts.has(m)),
  ];
}

export function foundCount(found: Found): number {
  return found.cases.size + found.attempts.size + found.contacts.size;
}

/** A public lender's id (the migration seeds them). */
export function publicLenderId(databasePath: string): number {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT id FROM lenders WHERE owner_id IS NULL ORDER BY id LIMIT 1').get() as { id: number }).id;
  } finally {
    db.close();
  }
}

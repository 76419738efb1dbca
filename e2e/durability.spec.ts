/**
 * Nothing lost (issue 5): many clients writing at once through the real server actions, the
 * server killed with SIGKILL in the middle, backups and restores against a running server.
 *
 * The spec starts its own production servers (`scripts/server.mjs` from NEXT_DIST_DIR, ports 3235–3239)
 * on databases of its own in .test-data/durability-*; Playwright's webServer is not used. Two
 * servers share each database, as the docs allow (several servers, or a server and
 * `npm run mailer`): writers in separate processes are where "database is locked" comes from.
 *
 * Every write carries a unique marker (w-<run>-<client>-<n>…). Acknowledged = the answer said so
 * (the redirect to the new case, or the form's `ok`). Afterwards the database is read directly.
 */
import { expect, test } from '@playwright/test';
import path from 'node:path';
import { readdirSync } from 'node:fs';
import {
  LEAKS,
  databaseChecks,
  foundCount,
  freshDataDir,
  loadActions,
  makeBorrowers,
  markersInDatabase,
  missingMarkers,
  postAction,
  publicLenderId,
  runLoad,
  runScript,
  signInOverHttp,
  startServer,
  type DataDir,
  type LoadClient,
  type LoadFigures,
  type Server,
} from './durability-helpers';

test.describe.configure({ mode: 'serial' });

const CLIENTS = 20;
/** The load stops after this many writes were attempted, or after LOAD_SECONDS, whichever comes first. */
const LOAD_WRITES = 300;
const LOAD_SECONDS = 12;

const running: Server[] = [];

async function start(data: DataDir, port: number): Promise<Server> {
  const server = await startServer(data, port);
  running.push(server);
  return server;
}

test.afterAll(async () => {
  await Promise.all(running.map((s) => s.kill9()));
});

/** Each borrower signs in (alternately on each server) and keeps that server. */
async function signInClients(emails: string[], servers: Server[]): Promise<LoadClient[]> {
  const clients: LoadClient[] = [];
  for (const [i, email] of emails.entries()) {
    const server = servers[i % servers.length];
    clients.push({ email, server, cookie: await signInOverHttp(server.baseURL, email) });
  }
  return clients;
}

function report(what: string, figures: LoadFigures, found: number, seconds: number) {
  const line =
    `${what}: ${figures.attempted} writes attempted, ${figures.acknowledged} acknowledged, ${found} found in the database ` +
    `(${figures.unanswered} unanswered, ${figures.problems.length} refused or leaking) in ${seconds.toFixed(1)} s`;
  console.log(`[durability] ${line}`);
  test.info().annotations.push({ type: 'figures', description: line });
}

/** Nothing internal in the servers' logs either (an unexpected error is logged there, and shown as "unexpected"). */
function expectCleanLogs(servers: Server[]) {
  for (const s of servers) expect(s.log(), `log of the server on ${s.port}`).not.toMatch(LEAKS);
}

/** The app serves after everything: a fresh sign-in reads one of the acknowledged cases, and a new write is acknowledged. */
async function expectServing(server: Server, emails: string[], figures: LoadFigures, lenderId: number) {
  const { marker, caseId, client } = figures.caseIds.at(-1)!;
  const cookie = await signInOverHttp(server.baseURL, emails[client]);
  const page = await fetch(`${server.baseURL}/cases/${caseId}`, { headers: { cookie }, redirect: 'manual' });
  expect(page.status).toBe(200);
  expect(await page.text()).toContain(marker);
  const created = await postAction(server.baseURL, cookie, loadActions().createCase, undefined, {
    formKey: `after${Date.now()}x${client}`,
    lenderId: String(lenderId),
    principal: '1',
    note: `after-restart-${caseId} 检查`,
  });
  expect(created.kind, JSON.stringify(created).slice(0, 300)).toBe('ok');
}

test('20 clients writing cases, applications and contacts at once through two servers on one database: every acknowledged write is stored, and no "database is locked" reaches anyone', async () => {
  test.setTimeout(120_000);
  const data = freshDataDir('load');
  const emails = await makeBorrowers(data, CLIENTS);
  const lenderId = publicLenderId(data.databasePath);
  const servers = [await start(data, 3235), await start(data, 3236)];
  const clients = await signInClients(emails, servers);

  const began = Date.now();
  const figures = await runLoad(clients, lenderId, (f) => f.attempted >= LOAD_WRITES || Date.now() - began > LOAD_SECONDS * 1000, 'load');
  const seconds = (Date.now() - began) / 1000;
  const found = markersInDatabase(data.databasePath, 'load');
  report('load', figures, foundCount(found), seconds);

  expect(figures.problems).toEqual([]);
  expect(figures.unanswered).toBe(0);
  // Every client got writes through (all three kinds), and each of them is in the database, once.
  expect(new Set(figures.caseIds.map((c) => c.client)).size).toBe(CLIENTS);
  expect(figures.acked.attempts.length).toBeGreaterThan(0);
  expect(figures.acked.contacts.length).toBeGreaterThan(0);
  expect(missingMarkers(figures, found)).toEqual([]);
  expect(foundCount(found)).toBe(figures.acknowledged);
  expect(databaseChecks(data.databasePath)).toEqual({ integrity: 'ok', foreignKeyProblems: [] });
  expectCleanLogs(servers);
  await Promise.all(servers.map((s) => s.stop()));
});

let crashData: DataDir;
let crashEmails: string[];
let crashLender: number;
/** The borrowers' sessions, signed in before the first crash: they must outlive both. */
let crashCookies: string[];
const crashAcked: LoadFigures[] = [];

for (const round of [
  { tag: 'crash1', killAfter: 20, ports: [3235, 3236] },
  { tag: 'crash2', killAfter: 80, ports: [3237, 3238] },
]) {
  test(`kill -9 of both servers after ${round.killAfter} acknowledged writes, mid-load: after a restart every acknowledged write is there and the database is sound (${round.tag})`, async () => {
    test.setTimeout(120_000);
    if (round.tag === 'crash1') {
      crashData = freshDataDir('crash');
      crashEmails = await makeBorrowers(crashData, CLIENTS);
      crashLender = publicLenderId(crashData.databasePath);
    }
    const servers = [await start(crashData, round.ports[0]), await start(crashData, round.ports[1])];
    let clients: LoadClient[];
    if (round.tag === 'crash1') {
      clients = await signInClients(crashEmails, servers);
      crashCookies = clients.map((c) => c.cookie);
    } else {
      // The sessions from before the first crash still hold (they are rows in the database).
      clients = crashEmails.map((email, i) => ({ email, server: servers[i % servers.length], cookie: crashCookies[i] }));
    }

    const began = Date.now();
    let killing: Promise<unknown> | undefined;
    let killedAfter = 0;
    // The kill is sent from inside the load: the other clients' requests are in flight when it lands.
    const figures = await runLoad(
      clients,
      crashLender,
      (f) => {
        if (!killing && f.acknowledged >= round.killAfter) {
          killedAfter = f.acknowledged;
          killing = Promise.all(servers.map((s) => s.kill9()));
        }
        return Date.now() - began > 60_000; // a safety net only: every client stops at its first unanswered request
      },
      round.tag,
    );
    await killing;
    const seconds = (Date.now() - began) / 1000;
    expect(killing, 'the servers were killed during the load').toBeDefined();
    // The kill interrupted requests: those writes were not acknowledged (whether they landed or not).
    expect(figures.unanswered).toBeGreaterThan(0);
    expect(figures.problems).toEqual([]);
    expect(figures.acknowledged).toBeGreaterThanOrEqual(killedAfter);

    // Restarted on the same database (the WAL is recovered on open).
    const restarted = await start(crashData, round.ports[0]);
    const found = markersInDatabase(crashData.databasePath, round.tag);
    report(`${round.tag} (SIGKILL after ${killedAfter} acknowledged)`, figures, foundCount(found), seconds);
    expect(missingMarkers(figures, found)).toEqual([]);
    // Earlier rounds' writes survived this crash too.
    for (const earlier of crashAcked) expect(missingMarkers(earlier, markersInDatabase(crashData.databasePath, earlier.tag))).toEqual([]);
    expect(databaseChecks(crashData.databasePath)).toEqual({ integrity: 'ok', foreignKeyProblems: [] });
    await expectServing(restarted, crashEmails, figures, crashLender);
    expectCleanLogs([...servers, restarted]);
    crashAcked.push(figures);
    await restarted.stop();
  });
}

test('an online backup while the server runs; restore refuses while it runs, then restores once it is down (even killed), and the data is there', async () => {
  test.setTimeout(120_000);
  const server = await start(crashData, 3239);
  const backup = path.join(crashData.dir, 'backups', 'online.db');
  const taken = runScript(crashData.env, 'scripts/backup.ts', ['--out', backup]);
  expect(taken.output).toContain('integrity check: ok');

  // A write after the backup: the restore must take it away again.
  const after = await signInOverHttp(server.baseURL, crashEmails[0]);
  const created = await postAction(server.baseURL, after, loadActions().createCase, undefined, {
    formKey: `afterbackup${Date.now()}`,
    lenderId: String(crashLender),
    principal: '1',
    note: 'w-afterbackup-0-0 备份之后',
  });
  expect(created.kind).toBe('ok');

  const refused = runScript(crashData.env, 'scripts/restore.ts', [backup], { mustSucceed: false });
  expect(refused.status).toBe(1);
  expect(refused.output).toMatch(/refusing to restore.*open in another process/);
  expect(markersInDatabase(crashData.databasePath, 'afterbackup').cases.size).toBe(1);
  expect(readdirSync(crashData.dir).filter((f) => f.includes('before-restore'))).toEqual([]);
  // The server never noticed: it still answers.
  expect((await fetch(`${server.baseURL}/cases`, { headers: { cookie: after }, redirect: 'manual' })).status).toBe(200);

  // A server killed with SIGKILL leaves no lock behind that would block the restore.
  await server.kill9();
  const restored = runScript(crashData.env, 'scripts/restore.ts', [backup]);
  expect(restored.output).toContain('Restored');
  expect(readdirSync(crashData.dir).some((f) => f.includes('before-restore'))).toBe(true);
  expect(markersInDatabase(crashData.databasePath, 'afterbackup').cases.size).toBe(0);
  for (const figures of crashAcked) {
    expect(missingMarkers(figures, markersInDatabase(crashData.databasePath, figures.tag))).toEqual([]);
  }
  expect(databaseChecks(crashData.databasePath)).toEqual({ integrity: 'ok', foreignKeyProblems: [] });

  // And the app serves the restored database.
  const again = await start(crashData, 3239);
  await expectServing(again, crashEmails, crashAcked.at(-1)!, crashLender);
  await again.stop();
});

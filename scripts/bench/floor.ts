/**
 * The database floor and drizzle's overhead, in process (issue 6; run by scripts/bench/run.mjs):
 *
 *   tsx scripts/bench/floor.ts --db <file> --subjects <json> --out <json>
 *
 * For every measured page, the db/ verbs its request runs (listed by hand from the page, its
 * layout and its components) are called once with better-sqlite3's statements watched and drizzle's
 * prepared query wrapped, which record every statement, its parameters, how it was executed and the
 * drizzle query (with its placeholder values) that executed it. Then, per verb:
 *   - verb: the verb itself, timed (its query building, the statements, drizzle's row mapping
 *     and the verb's own JavaScript: dates, scoping, shaping the answer);
 *   - drizzle: the verb's queries alone, as drizzle runs them: the same prepared drizzle queries
 *     called again with the same placeholder values (filling the placeholders, the statement,
 *     mapping its rows into objects), in the same order;
 *   - raw: the same statements with the same parameters on statements prepared once with plain
 *     better-sqlite3, reading rows as better-sqlite3 gives them (objects; arrays where drizzle
 *     asked for arrays) — the floor;
 *   - prepares per call: how many statements the verb prepares on a repeated call (0 = every
 *     query of the verb is a prepared statement).
 * The figure "drizzle within 1.25× of raw" is drizzle ÷ raw. A page's floor is the sum of its
 * verbs' raw times. Writes run inside BEGIN … ROLLBACK.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync, readFileSync } from 'node:fs';

function arg(name: string): string {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0 || !process.argv[i + 1]) throw new Error(`--${name} is required`);
  return process.argv[i + 1]!;
}

process.env.DATABASE_PATH = arg('db');
const subjects = JSON.parse(readFileSync(arg('subjects'), 'utf8')) as {
  today: string;
  borrower: { id: number; email: string };
  caseId: number;
  advisor: { id: number; email: string };
  calendarToken: string;
  writers: { id: number; email: string; caseId: number }[];
};

const { getDb } = await import('../../db/client');
const { PreparedQuery } = await import('drizzle-orm/better-sqlite3/session');
const { viewerForSession } = await import('../../db/users');
const { countDueReminders, listOpenReminders, listCaseReminders } = await import('../../db/reminders');
const { listCasesForBorrower, borrowerTotals, getCaseDetail } = await import('../../db/cases');
const { listInstalmentsForMonth } = await import('../../db/plans');
const { ADVISOR_NOTES_SHOWN, listRecentAdvisorNotes } = await import('../../db/notes');
const { suggestChecklist } = await import('../../db/documents');
const { addContact } = await import('../../db/contacts');
const { advisorFigures, attentionItems, advisorCharts, forgetKeptDashboards, listAdvisorClients, listAdvisorLenders, listAdvisorCases } = await import('../../db/advisor');
const { systemCalendarForToken } = await import('../../db/calendar');
const { listEndedSharesForAdvisor } = await import('../../db/shares');
const { pageSize, parseDashboardParams, toFilters } = await import('../../app/dashboard/params');
type Viewer = import('../../db/viewer-type').Viewer;

const db = getDb();
const client = db.$client;
const today = subjects.today;

// A session for each viewer, as sign-in makes one (the layout's getViewer looks it up).
function sessionFor(userId: number): string {
  const id = `bench-floor-${randomBytes(8).toString('hex')}`;
  client.prepare('INSERT INTO sessions (id, user_id, created_at) VALUES (?, ?, ?)').run(id, userId, Date.now());
  return id;
}
const borrowerSession = sessionFor(subjects.borrower.id);
const advisorSession = sessionFor(subjects.advisor.id);
const writer = subjects.writers[0]!;
const writerSession = sessionFor(writer.id);
const borrower = viewerForSession(borrowerSession)!;
const advisor = viewerForSession(advisorSession)!;
const writerViewer = viewerForSession(writerSession)!;

type Verb = [name: string, fn: () => unknown, write?: boolean];

const casePageVerbs = (v: Viewer, session: string, caseId: number): Verb[] => [
  ['viewerForSession', () => viewerForSession(session)],
  ['countDueReminders (header)', () => countDueReminders(v)],
  ['getCaseDetail', () => getCaseDetail(v, caseId)],
  ['suggestChecklist', () => suggestChecklist(v, caseId)],
  ['listCaseReminders', () => listCaseReminders(v, caseId)],
  ['countDueReminders (case)', () => countDueReminders(v, today)],
];
const dashboardParams = parseDashboardParams({});
function dashboardVerbs(v: Viewer): void {
  listAdvisorClients(v, today);
  advisorFigures(v, today);
  attentionItems(v, today);
  advisorCharts(v, today);
  listAdvisorLenders(v, today);
  listAdvisorCases(v, { ...toFilters(dashboardParams), page: dashboardParams.page, pageSize: pageSize(dashboardParams) }, today);
}
const month = today.slice(0, 7);

const PAGES: Record<string, Verb[]> = {
  ceiling: [
    ['viewerForSession', () => viewerForSession(borrowerSession)],
    ['countDueReminders (header)', () => countDueReminders(borrower)],
  ],
  home: [
    ['viewerForSession', () => viewerForSession(borrowerSession)],
    ['countDueReminders (header)', () => countDueReminders(borrower)],
    ['listCasesForBorrower', () => listCasesForBorrower(borrower)],
    ['countDueReminders (home)', () => countDueReminders(borrower, today)],
    ['listOpenReminders (5)', () => listOpenReminders(borrower, { limit: 5 })],
    ['borrowerTotals', () => borrowerTotals(borrower)],
    ['listInstalmentsForMonth', () => listInstalmentsForMonth(borrower, month)],
    // One more than the home lists, as app/home/load.ts asks (to know whether there are more).
    ['listRecentAdvisorNotes', () => listRecentAdvisorNotes(borrower, undefined, ADVISOR_NOTES_SHOWN + 1)],
  ],
  case: casePageVerbs(borrower, borrowerSession, subjects.caseId),
  dashboard: [
    ['viewerForSession', () => viewerForSession(advisorSession)],
    // The page's advisor verbs (app/dashboard/load.ts) share one read of the advisor's cases, kept from one request to
    // the next while the advisor's data version stays the same (db/advisor.ts): one entry, with a
    // fresh viewer per call, as a request has. Called repeatedly with nothing written, as the
    // bench's requests are, it reads the version alone.
    ['advisor verbs (clients, figures, attention, charts, lenders, table)', () => dashboardVerbs({ ...advisor })],
    // Not kept with the rest (app/dashboard/load.ts): read on every request.
    ['listEndedSharesForAdvisor', () => listEndedSharesForAdvisor(advisor)],
  ],
  // Not a target: the same verbs when nothing is kept (the first request after a write about one
  // of the advisor's clients), for what such a request costs.
  'dashboard, nothing kept': [
    [
      'advisor verbs, nothing kept',
      () => {
        forgetKeptDashboards();
        dashboardVerbs({ ...advisor });
      },
    ],
  ],
  reminders: [
    ['viewerForSession', () => viewerForSession(borrowerSession)],
    ['countDueReminders (header)', () => countDueReminders(borrower)],
    ['listOpenReminders', () => listOpenReminders(borrower)],
    ['countDueReminders (inbox)', () => countDueReminders(borrower, today)],
  ],
  // The action, then the case page it revalidates (rendered into the action's answer).
  write: [
    [
      'addContact',
      () =>
        addContact(
          writerViewer,
          writer.caseId,
          { channel: 'phone', direction: 'outgoing', occurredAt: new Date(), agentId: '', theirNumber: '', summary: '基准测试：客服说会回电', promise: '', promiseDue: null, promiseWorkdays: null },
          randomBytes(12).toString('base64url'),
        ),
      true,
    ],
    ...casePageVerbs(writerViewer, writerSession, writer.caseId).map(([n, f]) => [`${n} (re-render)`, f] as Verb),
  ],
  calendar: [['systemCalendarForToken', () => systemCalendarForToken(subjects.calendarToken)]],
};

// --- recording --------------------------------------------------------------------------------

type Method = 'all' | 'get' | 'run' | 'values';
/** A call of a drizzle prepared query, as the verb made it. */
type QueryCall = { query: Record<Method, (values?: Record<string, unknown>) => unknown>; method: Method; values: Record<string, unknown> | undefined };
/** A statement executed; `call` is the index of the drizzle query call that executed it (none: the verb ran it on the client itself). */
type Recorded = { sql: string; params: unknown[]; method: string; raw: boolean; call?: number };
const SKIP = /^\s*(begin|commit|rollback|savepoint|release)\b/i;

/** better-sqlite3's statement prototype: wrapping its methods sees every statement, however it was prepared. */
const Statement = Object.getPrototypeOf(client.prepare('SELECT 1')) as Record<string, (...args: unknown[]) => unknown>;

/**
 * Runs fn with every better-sqlite3 statement watched: each execution is passed to `seen` with its
 * SQL, parameters, method and whether the statement returns arrays (raw mode).
 */
function watchStatements<T>(fn: () => T, seen: (s: Omit<Recorded, 'call'>) => void): T {
  const rawModes = new WeakMap<object, boolean>();
  const methods = ['raw', 'all', 'get', 'run', 'iterate'] as const;
  const originals = methods.map((m) => Statement[m]!);
  methods.forEach((method, i) => {
    Statement[method] = function (this: { source: string }, ...args: unknown[]) {
      if (method === 'raw') rawModes.set(this, args[0] !== false);
      else seen({ sql: this.source, params: args, method, raw: rawModes.get(this) ?? false });
      return originals[i]!.apply(this, args);
    };
  });
  try {
    return fn();
  } finally {
    methods.forEach((m, i) => (Statement[m] = originals[i]!));
  }
}

/**
 * Runs fn twice with every statement watched, prepare counted and drizzle's prepared query wrapped:
 * the first call prepares what the verb keeps prepared; the second is recorded and counted.
 */
function record(fn: () => unknown): { statements: Recorded[]; calls: QueryCall[]; prepares: number } {
  let statements: Recorded[] = [];
  let calls: QueryCall[] = [];
  let prepares = 0;
  let current: number | undefined; // the drizzle query call under way
  const original = client.prepare;
  client.prepare = function (this: typeof client, source: string) {
    prepares += 1;
    return original.call(this, source);
  } as typeof client.prepare;
  // drizzle's `all` calls its own `values`: only the outermost call is the verb's.
  const proto = PreparedQuery.prototype as unknown as QueryCall['query'];
  const methods = ['all', 'get', 'run', 'values'] as const;
  const originals = methods.map((m) => proto[m]);
  methods.forEach((method, i) => {
    proto[method] = function (this: QueryCall['query'], values?: Record<string, unknown>) {
      if (current !== undefined) return originals[i]!.call(this, values);
      current = calls.push({ query: this, method, values }) - 1;
      try {
        return originals[i]!.call(this, values);
      } finally {
        current = undefined;
      }
    };
  });
  try {
    return watchStatements(
      () => {
        fn();
        statements = [];
        calls = [];
        prepares = 0;
        fn();
        return { statements, calls, prepares };
      },
      (s) => statements.push({ ...s, call: current }),
    );
  } finally {
    client.prepare = original;
    methods.forEach((m, i) => (proto[m] = originals[i]!));
  }
}

// --- timing ---------------------------------------------------------------------------------

/** Median time of one call, in microseconds, over batches run for about `ms` in all. */
function time(fn: () => void, ms = 250): number {
  for (let i = 0; i < 20; i++) fn(); // warm
  const samples: number[] = [];
  const end = performance.now() + ms;
  while (performance.now() < end || samples.length < 7) {
    const t0 = process.hrtime.bigint();
    const n = 10;
    for (let i = 0; i < n; i++) fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1000 / n);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

/**
 * Each side's best median over three rounds of a window of a, then a window of b. Timed in one
 * window each, a slow spell of this machine in one side's window showed as a ratio: in three of four
 * partial runs one check crossed its line at 1.5–1.8×, a different verb each time. (Batches of a and
 * b taken in turn, tried before, moved the ratios of other verbs instead.)
 */
function bestOfRounds(a: () => void, b: () => void, rounds = 3, ms = 200): [number, number] {
  let bestA = Infinity;
  let bestB = Infinity;
  for (let r = 0; r < rounds; r++) {
    bestA = Math.min(bestA, time(a, ms));
    bestB = Math.min(bestB, time(b, ms));
  }
  return [bestA, bestB];
}

/** How plain better-sqlite3 reads what drizzle read: rows as objects, or as arrays where drizzle asked for arrays (`values`). */
function rawMode(s: Recorded, calls: QueryCall[]): boolean {
  // A statement the verb ran on the client itself: as the verb ran it.
  return s.call === undefined ? s.raw : calls[s.call]!.method === 'values';
}

/**
 * fn inside BEGIN … ROLLBACK when it writes (a verb's own transaction becomes a savepoint within it),
 * so that every timed call starts from the same database; fn as it is otherwise.
 */
function rolledBack(fn: () => unknown, write: boolean): () => void {
  if (!write) return fn as () => void;
  const begin = client.prepare('BEGIN');
  const rollback = client.prepare('ROLLBACK');
  return () => {
    begin.run();
    try {
      fn();
    } finally {
      rollback.run();
    }
  };
}

function rawRunner(statements: Recorded[], calls: QueryCall[], write: boolean): () => void {
  const prepared = statements
    .filter((s) => !SKIP.test(s.sql))
    .map((s) => {
      const stmt = client.prepare(s.sql);
      if (stmt.reader) stmt.raw(rawMode(s, calls));
      return { stmt, params: s.params, method: s.method === 'iterate' ? 'all' : s.method };
    });
  return rolledBack(() => {
    for (const p of prepared) (p.stmt as unknown as Record<string, (...a: unknown[]) => unknown>)[p.method]!(...p.params);
  }, write);
}

/**
 * The verb's queries as drizzle runs them: each drizzle query call again, with its placeholder
 * values, in order; a statement the verb ran on the client itself runs as it ran it.
 */
function drizzleRunner(statements: Recorded[], calls: QueryCall[], write: boolean): () => void {
  const steps: (() => unknown)[] = [];
  let last: number | undefined;
  for (const s of statements) {
    if (SKIP.test(s.sql)) continue;
    if (s.call === undefined) {
      steps.push(rawRunner([s], calls, false));
    } else if (s.call !== last) {
      const c = calls[s.call]!;
      steps.push(() => c.query[c.method](c.values));
    }
    last = s.call;
  }
  return rolledBack(() => {
    for (const step of steps) step();
  }, write);
}

/** The statements fn executes, with their parameters (transaction control left out). */
function executed(fn: () => void): string[] {
  const seen: string[] = [];
  watchStatements(fn, (s) => {
    if (!SKIP.test(s.sql)) seen.push(JSON.stringify([s.sql, s.params]));
  });
  return seen;
}

/** The replayed queries must do what the verb did, statement for statement: else their time means nothing. */
function assertSameStatements(verb: string, statements: Recorded[], queries: () => void): void {
  const expected = statements.filter((s) => !SKIP.test(s.sql)).map((s) => JSON.stringify([s.sql, s.params]));
  const got = executed(queries);
  if (JSON.stringify(got) !== JSON.stringify(expected)) {
    throw new Error(`${verb}: its drizzle queries, called again, ran other statements than the verb:\n${got.join('\n')}\n---\n${expected.join('\n')}`);
  }
}

type VerbResult = {
  verb: string;
  statements: number;
  preparesPerCall: number;
  /** The whole verb, its own JavaScript included. */
  verbUs: number;
  /** Its queries alone, through drizzle. */
  drizzleUs: number;
  rawUs: number;
  /** drizzleUs ÷ rawUs: the figure. */
  ratio: number;
  /** Statements that take 200 µs or more on their own (raw), slowest first: where the floor goes. */
  slow: { sql: string; rawUs: number; plan: string[] }[];
};
const out: Record<string, { floorUs: number; drizzleUs: number; verbUs: number; verbs: VerbResult[]; sql: string[] }> = {};

for (const [page, verbs] of Object.entries(PAGES)) {
  const results: VerbResult[] = [];
  const sqlSeen: string[] = [];
  for (const [verb, fn, write] of verbs) {
    // A write verb commits: run it inside BEGIN … ROLLBACK, like its floor. Not inside a savepoint:
    // SQLite then keeps a statement journal of every page the verb changes, which made addContact
    // look five times slower than it is.
    const call = rolledBack(fn, !!write);
    call(); // first call: drizzle prepares what it keeps prepared
    const { statements, calls, prepares } = record(call);
    for (const s of statements) if (!SKIP.test(s.sql)) sqlSeen.push(s.sql);
    const verbUs = time(call as () => void);
    const queries = drizzleRunner(statements, calls, !!write);
    assertSameStatements(verb, statements, queries);
    const [drizzleUs, rawUs] = bestOfRounds(queries, rawRunner(statements, calls, !!write));
    const slow = write
      ? []
      : statements
          .filter((st) => !SKIP.test(st.sql))
          .map((st) => ({ st, us: time(rawRunner([st], calls, false), 60) }))
          .filter((x) => x.us >= 200)
          .sort((a, b) => b.us - a.us)
          .map(({ st, us }) => ({
            sql: st.sql,
            rawUs: +us.toFixed(1),
            plan: (client.prepare(`EXPLAIN QUERY PLAN ${st.sql}`).all(...(st.params as unknown[])) as { detail: string }[]).map((r) => r.detail),
          }));
    results.push({
      verb,
      statements: statements.filter((s) => !SKIP.test(s.sql)).length,
      preparesPerCall: prepares,
      verbUs: +verbUs.toFixed(1),
      drizzleUs: +drizzleUs.toFixed(1),
      rawUs: +rawUs.toFixed(1),
      ratio: +(drizzleUs / rawUs).toFixed(2),
      slow,
    });
  }
  out[page] = {
    floorUs: +results.reduce((s, r) => s + r.rawUs, 0).toFixed(1),
    drizzleUs: +results.reduce((s, r) => s + r.drizzleUs, 0).toFixed(1),
    verbUs: +results.reduce((s, r) => s + r.verbUs, 0).toFixed(1),
    verbs: results,
    sql: [...new Set(sqlSeen)],
  };
}

client.prepare(`DELETE FROM sessions WHERE id LIKE 'bench-floor-%'`).run();
writeFileSync(arg('out'), JSON.stringify(out, null, 2));
for (const [page, r] of Object.entries(out)) {
  console.log(`${page.padEnd(10)} floor ${r.floorUs.toFixed(0).padStart(6)} µs   drizzle ${r.drizzleUs.toFixed(0).padStart(6)} µs   verbs ${r.verbUs.toFixed(0).padStart(6)} µs`);
  for (const v of r.verbs) {
    console.log(`    ${v.verb.padEnd(40)} ${String(v.statements).padStart(3)} stmt  prepares/call ${v.preparesPerCall}  verb ${v.verbUs.toFixed(1).padStart(8)} µs  drizzle ${v.drizzleUs.toFixed(1).padStart(8)} µs  raw ${v.rawUs.toFixed(1).padStart(8)} µs  ×${v.ratio}`);
    if (process.env.FLOOR_VERBOSE) for (const x of v.slow) console.log(`        ${x.rawUs} µs  ${x.sql.replace(/\s+/g, ' ').slice(0, 160)}\n          ${x.plan.join('\n          ')}`);
  }
}
client.close();

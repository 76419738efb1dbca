import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { NOTICE_KINDS, type ReminderKind } from '@/lib/reminder-rules';
import { approveInput, caseInput, contactInput, escalateInput, makeBorrower, materialsInput, rejectInput, submitInput, versionOf } from '@/tests/factories';
import { day, expectedRefusal, run, stepArb, type Step, type World } from '@/tests/write-steps';
import { approveAttempt, escalateCase, rejectAttempt, requestMaterials, submitAttempt, undoAttempt, undoDecision } from './attempts';
import { correctInstalmentPayment, markInstalmentPaid } from './plans';
import { createCase } from './cases';
import { addContact } from './contacts';
import { getDb } from './client';
import { listLenders } from './lenders';
import { createReminder, setReminderStatus, snoozeReminder } from './reminders';

/**
 * case_facts (migrations 0006, 0008, 0017 and 0019) is kept by triggers, not by the verbs: whatever sequence of writes
 * happens, each case's row must equal what its base tables say now. fast-check runs random
 * sequences of the real verbs that write cases, attempts, materials requests, plans and
 * instalments, contacts and (through them) reminders (and a few raw SQL writes, which no verb guards: tests/write-steps.ts),
 * and after every step compares the table with a recomputation from the base tables written here in JS.
 */

type Row = (string | number | null)[];

const client = () => getDb().$client;

const reminderIdOf = (ruleKey: string) => (client().prepare('SELECT id FROM reminders WHERE rule_key = ?').get(ruleKey) as { id: number }).id;

/** The case_facts rows of these owners, in key order. */
function stored(owners: number[]): Row[] {
  const marks = owners.map(() => '?').join(', ');
  return client().prepare(`SELECT * FROM case_facts WHERE owner_id IN (${marks}) ORDER BY owner_id, case_id`).raw().all(...owners) as Row[];
}

/** The same rows worked out from cases, instalments, material_requests, reminders and attempts. */
function recomputed(owners: number[]): Row[] {
  const marks = owners.map(() => '?').join(', ');
  const c = client();
  type CaseRow = { id: number; owner_id: number; lender_id: number; product: string; account_ref: string; status: string; principal_fen: number | null; interest_fen: number | null; penalty_fen: number | null; updated_at: number; archived: number };
  const caseRows = c.prepare(`SELECT * FROM cases WHERE owner_id IN (${marks}) ORDER BY owner_id, id`).all(...owners) as CaseRow[];
  const sortedList = (values: string[]) => (values.length === 0 ? null : [...values].sort().join(','));
  return caseRows.map((k) => {
    const instalments = c.prepare('SELECT due_on, paid_on, paid_fen, amount_fen FROM instalments WHERE case_id = ?').all(k.id) as { due_on: string; paid_on: string | null; paid_fen: number | null; amount_fen: number }[];
    const requests = c.prepare('SELECT attempt_id, deadline, sent_on, closed_on FROM material_requests WHERE case_id = ?').all(k.id) as { attempt_id: number; deadline: string; sent_on: string | null; closed_on: string | null }[];
    const openReminders = c.prepare("SELECT kind, show_on FROM reminders WHERE case_id = ? AND status = 'open'").all(k.id) as { kind: ReminderKind; show_on: string }[];
    // The earliest as 'date|kind' (migration 0017); on one day, the kind first in alphabetical order.
    const reminderDates = openReminders.filter((r) => !(NOTICE_KINDS as readonly string[]).includes(r.kind)).map((r) => `${r.show_on}|${r.kind}`);
    type AttemptRow = { id: number; round: number; submitted_on: string; channel: string; decision: string | null; decided_on: string | null; rejection_reason: string | null };
    const attempts = (c.prepare('SELECT * FROM attempts WHERE case_id = ?').all(k.id) as AttemptRow[]).sort((a, b) => a.round - b.round);
    const latest = attempts[attempts.length - 1];
    let reviewSince: string | null = null;
    if (latest) {
      const sent = (c.prepare('SELECT sent_on FROM material_requests WHERE attempt_id = ? AND sent_on IS NOT NULL').all(latest.id) as { sent_on: string }[]).map((r) => r.sent_on);
      const lastSent = sent.reduce((a, b) => (b > a ? b : a), '');
      reviewSince = lastSent > latest.submitted_on ? lastSent : latest.submitted_on;
    }
    const decided = attempts.filter((a) => a.decision !== null && a.decided_on !== null);
    return [
      k.owner_id,
      k.id,
      k.lender_id,
      k.product,
      k.account_ref,
      k.status,
      // The amounts given, summed; null when none was (migration 0024).
      k.principal_fen === null && k.interest_fen === null && k.penalty_fen === null ? null : (k.principal_fen ?? 0) + (k.interest_fen ?? 0) + (k.penalty_fen ?? 0),
      k.updated_at,
      k.archived,
      // Still owed: not paid, or paid short (migration 0010).
      sortedList(instalments.filter((i) => i.paid_on === null || (i.paid_fen ?? 0) < i.amount_fen).map((i) => i.due_on)),
      sortedList(requests.filter((r) => r.sent_on === null && r.closed_on === null).map((r) => r.deadline)),
      reminderDates.length === 0 ? null : reminderDates.reduce((x, y) => (y < x ? y : x)),
      reviewSince,
      decided.length === 0 ? null : decided.map((a) => `${a.decision},${a.submitted_on},${a.decided_on},${a.rejection_reason ?? ''}${['mediator', 'regulator'].includes(a.channel) ? ',x' : ''}`).join(';'),
      // The latest round's route when it is an escalation (migration 0019).
      latest?.channel === 'regulator' ? 'complaint' : latest?.channel === 'mediator' ? 'mediation' : null,
    ];
  });
}

describe('case_facts', () => {
  it('equals a recomputation from the base tables after every step of random write sequences', async () => {
    let steps = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 40, size: 'max' }), async (sequence) => {
        const world: World = { owners: [makeBorrower(), makeBorrower()], lenders: [] };
        world.lenders = listLenders(world.owners[0]!)
          .filter((l) => l.ownerId === null)
          .slice(0, 3)
          .map((l) => l.id);
        const everyone = world.owners.map((o) => o.id);
        for (const step of [{ kind: 'create', pick: 0, n: 0, flag: false } as Step, ...sequence]) {
          try {
            await run(world, step);
          } catch (error) {
            if (!expectedRefusal(error)) throw error;
            refused += 1;
          }
          steps += 1;
          expect(stored(everyone), `after ${step.kind}`).toEqual(recomputed(everyone));
        }
      }),
      { numRuns: 60 },
    );
    // The sequences did write: most steps were accepted by the verbs.
    expect(steps - refused).toBeGreaterThan(steps / 3);
  }, 60_000);

  it('has a row for every case and none for a case that is gone', () => {
    const orphans = client().prepare('SELECT count(*) AS n FROM case_facts f WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = f.case_id AND c.owner_id = f.owner_id)').get() as { n: number };
    const missing = client().prepare('SELECT count(*) AS n FROM cases c WHERE NOT EXISTS (SELECT 1 FROM case_facts f WHERE f.owner_id = c.owner_id AND f.case_id = c.id)').get() as { n: number };
    expect(orphans.n).toBe(0);
    expect(missing.n).toBe(0);
  });

  it('keeps the earliest open reminder but the notices, with its kind, and follows reminders written by the verbs and by raw SQL', () => {
    const owner = makeBorrower();
    const id = createCase(owner, caseInput(owner));
    const other = createCase(owner, caseInput(owner), undefined, { allowDuplicate: true });
    const nextReminder = (caseId = id) => (client().prepare('SELECT next_reminder FROM case_facts WHERE case_id = ?').get(caseId) as { next_reminder: string | null }).next_reminder;
    expect(nextReminder()).toBeNull();
    const own = createReminder(owner, id, { title: '打电话问进度', note: '', dueOn: day(9), dueTime: null });
    expect(nextReminder()).toBe(`${day(9)}|custom`);
    // A promise to chase, earlier.
    const contact = addContact(owner, id, contactInput({ occurredAt: new Date(`${day(0)}T10:00:00+08:00`), promise: '三天内回电', promiseDue: day(3) }));
    expect(nextReminder()).toBe(`${day(3)}|promise_chase`);
    snoozeReminder(owner, reminderIdOf(`promise:${contact}`), day(12));
    expect(nextReminder()).toBe(`${day(9)}|custom`);
    setReminderStatus(owner, own, 'done');
    expect(nextReminder()).toBe(`${day(12)}|promise_chase`);
    // A materials request: its deadline reminder counts, the nudge a workday before it does not.
    submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: day(0) }));
    // Recorded on the day it was asked: a nudge whose day has passed is not made (lib/reminder-rules.ts).
    vi.useFakeTimers({ toFake: ['Date'], now: new Date(`${day(1)}T10:00:00+08:00`) });
    try {
      requestMaterials(owner, id, versionOf(id), materialsInput({ requestedOn: day(1), deadline: day(8) }));
    } finally {
      vi.useRealTimers();
    }
    const kinds = client().prepare("SELECT kind, show_on FROM reminders WHERE case_id = ? AND status = 'open' ORDER BY show_on").all(id) as { kind: string; show_on: string }[];
    expect(kinds.find((r) => r.kind === 'materials_nudge')!.show_on < day(8)).toBe(true);
    expect(nextReminder()).toBe(`${day(8)}|materials_deadline`);
    // Raw SQL: moved to another case, then put off, then deleted.
    client().prepare('UPDATE reminders SET case_id = ? WHERE id = ?').run(other, own);
    expect(nextReminder(other)).toBeNull(); // done: it does not count wherever it is
    client().prepare("UPDATE reminders SET status = 'open', show_on = ? WHERE id = ?").run(day(2), own);
    expect(nextReminder(other)).toBe(`${day(2)}|custom`);
    client().prepare('UPDATE reminders SET show_on = ? WHERE id = ?').run(day(1), own);
    expect(nextReminder(other)).toBe(`${day(1)}|custom`);
    client().prepare('DELETE FROM reminders WHERE id = ?').run(own);
    expect(nextReminder(other)).toBeNull();
    expect(stored([owner.id])).toEqual(recomputed([owner.id]));
  });

  it('counts an instalment paid short as owed, and follows a correction of the amount alone', () => {
    const owner = makeBorrower();
    const id = createCase(owner, caseInput(owner));
    submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: day(0) }));
    approveAttempt(owner, id, versionOf(id), approveInput({ decidedOn: day(1), agreedPeriods: 2, agreedMonthly: 10_000, agreedFirstPaymentOn: day(20) }));
    const unpaidDues = () => (client().prepare('SELECT unpaid_dues FROM case_facts WHERE case_id = ?').get(id) as { unpaid_dues: string | null }).unpaid_dues;
    const first = (client().prepare('SELECT id FROM instalments WHERE case_id = ? AND seq = 1').get(id) as { id: number }).id;
    expect(unpaidDues()!.split(',')[0]).toBe(day(20));
    markInstalmentPaid(owner, id, versionOf(id), first, { paidOn: day(2), paid: 10_000 });
    expect(unpaidDues()!.split(',')).toHaveLength(1);
    // The same day, a smaller amount: only paid_fen changes, and the instalment is owed again.
    correctInstalmentPayment(owner, id, versionOf(id), first, { paidOn: day(2), paidFen: 4_000 });
    expect(unpaidDues()!.split(',')).toEqual([day(20), expect.any(String)]);
    expect(stored([owner.id])).toEqual(recomputed([owner.id]));
    correctInstalmentPayment(owner, id, versionOf(id), first, { paidOn: day(2), paidFen: 10_000 });
    expect(unpaidDues()!.split(',')).toHaveLength(1);
    // Raw SQL (a repair by hand): the amount alone, the case row untouched.
    client().prepare('UPDATE instalments SET paid_fen = 9999 WHERE id = ?').run(first);
    expect(unpaidDues()!.split(',')).toHaveLength(2);
    expect(stored([owner.id])).toEqual(recomputed([owner.id]));
  });

  it('leaves out materials the decision overtook, and follows closed_on written by raw SQL', () => {
    const owner = makeBorrower();
    const id = createCase(owner, caseInput(owner));
    submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: day(0) }));
    requestMaterials(owner, id, versionOf(id), materialsInput({ requestedOn: day(1), deadline: day(8) }));
    const unsent = () => (client().prepare('SELECT unsent_deadlines FROM case_facts WHERE case_id = ?').get(id) as { unsent_deadlines: string | null }).unsent_deadlines;
    expect(unsent()).toBe(day(8));
    rejectAttempt(owner, id, versionOf(id), rejectInput({ decidedOn: day(3) }));
    expect(unsent()).toBeNull();
    expect(stored([owner.id])).toEqual(recomputed([owner.id]));
    // Raw SQL (a repair by hand): the request awaited again, the case row untouched.
    client().prepare('UPDATE material_requests SET closed_on = NULL WHERE case_id = ?').run(id);
    expect(unsent()).toBe(day(8));
    expect(stored([owner.id])).toEqual(recomputed([owner.id]));
  });

  it("migration 0017 gives the rows stored before it their reminder's kind, and leaves the others", () => {
    const owner = makeBorrower();
    const id = createCase(owner, caseInput(owner));
    const plain = createCase(owner, caseInput(owner), undefined, { allowDuplicate: true });
    createReminder(owner, id, { title: '打电话问进度', note: '', dueOn: day(9), dueTime: null });
    // The table as it was before migration 0019 (nothing is written until 0019 puts it back, below).
    client().exec('ALTER TABLE case_facts DROP COLUMN review_route');
    // The row as migration 0008 stored it: the date alone (written by hand, as no trigger would now).
    client().prepare('UPDATE case_facts SET next_reminder = ? WHERE case_id = ?').run(day(9), id);
    // A case without a reminder is not read again: a mark put on its row by hand stays.
    client().prepare('UPDATE case_facts SET total_fen = -1 WHERE case_id = ?').run(plain);
    const sql = readFileSync(join(process.cwd(), 'db/migrations/0017_next_reminder_kind.sql'), 'utf8');
    for (const statement of sql.split('--> statement-breakpoint')) client().exec(statement);
    const [reminded, marked] = stored([owner.id]);
    expect(reminded).toEqual(recomputed([owner.id])[0]!.slice(0, 14));
    expect(reminded![11]).toBe(`${day(9)}|custom`);
    expect(marked![6]).toBe(-1);
    // The migrations after it, as they came: the table and the view are today's again.
    const later = readFileSync(join(process.cwd(), 'db/migrations/0019_escalation_route.sql'), 'utf8');
    for (const statement of later.split('--> statement-breakpoint')) client().exec(statement);
    expect(stored([owner.id])[0]).toEqual(recomputed([owner.id])[0]);
  });

  it("keeps the latest round's escalation route, through a new round, an undo, and a channel changed by raw SQL", () => {
    const owner = makeBorrower();
    const id = createCase(owner, caseInput(owner));
    const route = () => (client().prepare('SELECT review_route FROM case_facts WHERE case_id = ?').get(id) as { review_route: string | null }).review_route;
    expect(route()).toBeNull();
    submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: day(0) }));
    expect(route()).toBeNull(); // the lender's own review
    rejectAttempt(owner, id, versionOf(id), rejectInput({ decidedOn: day(3) }));
    escalateCase(owner, id, versionOf(id), escalateInput({ route: 'complaint', submittedOn: day(4) }));
    expect(route()).toBe('complaint');
    // The route corrected by hand (no verb does it): the row follows the channel.
    client().prepare("UPDATE attempts SET channel = 'mediator' WHERE case_id = ? AND round = 2").run(id);
    expect(route()).toBe('mediation');
    client().prepare("UPDATE attempts SET channel = 'regulator' WHERE case_id = ? AND round = 2").run(id);
    expect(route()).toBe('complaint');
    expect(stored([owner.id])).toEqual(recomputed([owner.id]));
    // The complaint rejected, then the rejection undone: escalated again, the route kept.
    rejectAttempt(owner, id, versionOf(id), rejectInput({ decidedOn: day(20) }));
    expect(route()).toBe('complaint');
    undoDecision(owner, id, versionOf(id));
    expect(route()).toBe('complaint');
    expect(stored([owner.id])).toEqual(recomputed([owner.id]));
    // Rejected again, and a new application to the lender: its own review, no route.
    rejectAttempt(owner, id, versionOf(id), rejectInput({ decidedOn: day(20) }));
    submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: day(21) }));
    expect(route()).toBeNull();
    // … rejected, and taken to mediation: a new round, a new route.
    rejectAttempt(owner, id, versionOf(id), rejectInput({ decidedOn: day(25) }));
    escalateCase(owner, id, versionOf(id), escalateInput({ route: 'mediation', submittedOn: day(26) }));
    expect(route()).toBe('mediation');
    // … taken back by the verb (it never went): the route is the round before's, then mediation again.
    undoAttempt(owner, id, versionOf(id));
    expect(route()).toBeNull();
    expect(stored([owner.id])).toEqual(recomputed([owner.id]));
    escalateCase(owner, id, versionOf(id), escalateInput({ route: 'mediation', submittedOn: day(26) }));
    expect(route()).toBe('mediation');
    // The latest round deleted by hand: the route is the round before's (an application: none).
    client().prepare('DELETE FROM attempts WHERE case_id = ? AND round = 4').run(id);
    expect(route()).toBeNull();
    expect(stored([owner.id])).toEqual(recomputed([owner.id]));
  });

  it('migration 0019 gives the rows stored before it their route, and leaves the others', () => {
    const owner = makeBorrower();
    const id = createCase(owner, caseInput(owner));
    const plain = createCase(owner, caseInput(owner), undefined, { allowDuplicate: true });
    submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: day(0) }));
    rejectAttempt(owner, id, versionOf(id), rejectInput({ decidedOn: day(3) }));
    escalateCase(owner, id, versionOf(id), escalateInput({ route: 'complaint', submittedOn: day(4) }));
    // The table as it was before it, without the column (nothing is written until the migration has run).
    client().exec('ALTER TABLE case_facts DROP COLUMN review_route');
    // A case without an escalation is not read again: a mark put on its row by hand stays.
    client().prepare('UPDATE case_facts SET total_fen = -1 WHERE case_id = ?').run(plain);
    const sql = readFileSync(join(process.cwd(), 'db/migrations/0019_escalation_route.sql'), 'utf8');
    for (const statement of sql.split('--> statement-breakpoint')) client().exec(statement);
    const [escalated, marked] = stored([owner.id]);
    expect(escalated).toEqual(recomputed([owner.id])[0]);
    expect(escalated![14]).toBe('complaint');
    expect(marked![6]).toBe(-1);
    // WITHOUT ROWID kept, the route last, as the view has it.
    const table = client().prepare("SELECT sql FROM sqlite_master WHERE name = 'case_facts'").get() as { sql: string };
    expect(table.sql).toMatch(/WITHOUT ROWID\s*$/);
    const columns = (name: string) => (client().prepare(`SELECT name FROM pragma_table_info('${name}')`).all() as { name: string }[]).map((c) => c.name);
    expect(columns('case_facts')).toEqual(columns('case_facts_source'));
    expect(columns('case_facts').at(-1)).toBe('review_route');
  });

  it('migration 0024 makes the amounts optional, takes a principal of 0 for one not given, and keeps the tables as they were', () => {
    const owner = makeBorrower();
    const blank = createCase(owner, caseInput(owner));
    const someInterest = createCase(owner, caseInput(owner), undefined, { allowDuplicate: true });
    const noInterest = createCase(owner, caseInput(owner), undefined, { allowDuplicate: true });
    const amounts = (id: number) => client().prepare('SELECT principal_fen AS p, interest_fen AS i, penalty_fen AS pe FROM cases WHERE id = ?').get(id);
    // The cases as the form stored them before it: blank as 0 (those of the tests above too).
    client().exec('UPDATE cases SET principal_fen = coalesce(principal_fen, 0), interest_fen = coalesce(interest_fen, 0), penalty_fen = coalesce(penalty_fen, 0)');
    const set = client().prepare('UPDATE cases SET principal_fen = ?, interest_fen = ?, penalty_fen = ? WHERE id = ?');
    set.run(0, 0, 0, blank);
    set.run(0, 50_000, 0, someInterest);
    set.run(1_000_000, 0, 0, noInterest);
    // The schema as it was: the amounts NOT NULL, and the view of migration 0019.
    for (const column of ['principal_fen', 'interest_fen', 'penalty_fen']) client().exec(`ALTER TABLE cases ALTER COLUMN ${column} SET NOT NULL`);
    client().exec('ALTER TABLE case_facts ALTER COLUMN total_fen SET NOT NULL');
    const statements = (file: string) => readFileSync(join(process.cwd(), 'db/migrations', file), 'utf8').split('--> statement-breakpoint');
    client().exec('DROP VIEW case_facts_source');
    client().exec(statements('0019_escalation_route.sql').find((s) => s.includes('CREATE VIEW'))!);
    expect(stored([owner.id]).map((row) => row[6])).toEqual([0, 50_000, 1_000_000]);

    for (const statement of statements('0024_amounts_not_given.sql')) client().exec(statement);

    expect(amounts(blank)).toEqual({ p: null, i: null, pe: null });
    expect(amounts(someInterest)).toEqual({ p: null, i: 50_000, pe: 0 });
    expect(amounts(noInterest)).toEqual({ p: 1_000_000, i: 0, pe: 0 });
    expect(stored([owner.id]).map((row) => row[6])).toEqual([null, 50_000, 1_000_000]);
    expect(stored([owner.id])).toEqual(recomputed([owner.id]));
    const notNull = (table: string) => (client().prepare(`SELECT name FROM pragma_table_info('${table}') WHERE "notnull" = 1`).all() as { name: string }[]).map((c) => c.name);
    expect(notNull('cases')).not.toContain('principal_fen');
    expect(notNull('cases')).not.toContain('penalty_fen');
    expect(notNull('case_facts')).not.toContain('total_fen');
    // Changed in place: WITHOUT ROWID kept, the view's columns the table's, the indexes there.
    const table = client().prepare("SELECT sql FROM sqlite_master WHERE name = 'case_facts'").get() as { sql: string };
    expect(table.sql).toMatch(/WITHOUT ROWID\s*$/);
    const columns = (name: string) => (client().prepare(`SELECT name FROM pragma_table_info('${name}')`).all() as { name: string }[]).map((c) => c.name);
    expect(columns('case_facts')).toEqual(columns('case_facts_source'));
    const indexes = client().prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'cases' AND sql IS NOT NULL ORDER BY name").all();
    expect(indexes).toEqual([{ name: 'cases_lender_idx' }, { name: 'cases_owner_idx' }, { name: 'cases_status_idx' }]);
  });

  it('is kept by triggers on all six tables it reads', () => {
    // A migration that rebuilds one of them (drizzle-kit drops and renames the table) drops its
    // triggers with it: this fails until they are created again.
    const triggers = client().prepare(`SELECT tbl_name AS tableName, count(*) AS n FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'case_facts%' GROUP BY tbl_name ORDER BY tbl_name`).all();
    expect(triggers).toEqual(['attempts', 'cases', 'contacts', 'instalments', 'material_requests', 'reminders'].map((tableName) => ({ tableName, n: 3 })));
  });
});

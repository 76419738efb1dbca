import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadDashboard } from '@/app/dashboard/load';
import { parseDashboardParams } from '@/app/dashboard/params';
import { makeAdvisor, makeBorrower, makeCase } from '@/tests/factories';
import { day, expectedRefusal, liveCases, run, KINDS, type Step, type World } from '@/tests/write-steps';
import { forgetKeptDashboards, keptDashboardCounts } from './advisor';
import { getDb } from './client';
import { createPrivateLender, listLenders } from './lenders';
import { createReminder, setReminderStatus, snoozeReminder } from './reminders';
import { acceptInvite, createInvite, listSharesForBorrower, revokeShare } from './shares';
import { updateProfile } from './users';
import type { Viewer } from './viewer-type';

/**
 * db/advisor.ts keeps what it worked out of an advisor's cases from one request to the next, until
 * the advisor's data version moves (data_versions, migration 0007: triggers on everything the
 * dashboard reads). Whatever is written in between — by the verbs or by raw SQL — a dashboard
 * answered from what was kept must equal one worked out afresh. fast-check runs random sequences
 * of writes: the case writes of db/case-facts.test.ts, and what else the dashboard shows — shares
 * revoked and given again, a client renamed, reminders added (by the client or the advisor),
 * closed, snoozed or moved, a lender renamed — on several days.
 */

const client = () => getDb().$client;

const DASHBOARD_KINDS = ['revoke', 'reshare', 'rename', 'reminder', 'advisorReminder', 'reminderDone', 'reminderSnooze', 'rawReminderMove', 'rawLenderRename'] as const;
type AdvisorStep = Omit<Step, 'kind'> & { kind: Step['kind'] | (typeof DASHBOARD_KINDS)[number]; day: number };

const stepArb: fc.Arbitrary<AdvisorStep> = fc.record({
  kind: fc.constantFrom(...KINDS.filter((k) => k !== 'deleteAccount'), ...DASHBOARD_KINDS),
  pick: fc.nat({ max: 50 }),
  n: fc.nat({ max: 60 }),
  flag: fc.boolean(),
  day: fc.nat({ max: 3 }),
});

/** The days the dashboard is asked about: each step asks on one of them. */
const DAYS = [day(0), day(20), day(45), day(90)];

/** The param sets compared: the first screen, and the table filtered, sorted and paged. */
const PARAMS = [{}, { sort: 'total', dir: 'asc', per: '100' }, { attention: '1' }, { status: 'under_review', page: '2', per: '10' }, { q: '分期' }].map(parseDashboardParams);

function share(borrower: Viewer, advisor: Viewer): void {
  acceptInvite(advisor, createInvite(borrower, '顾问').code);
}

/** One of the owner's open reminders of their own or an advisor's (the kinds the dashboard counts as overdue reminders). */
function openReminderOf(owner: Viewer, pick: number): number | undefined {
  const rows = client().prepare("SELECT id FROM reminders WHERE owner_id = ? AND status = 'open' AND kind = 'custom' ORDER BY id").all(owner.id) as { id: number }[];
  return rows.length > 0 ? rows[pick % rows.length]!.id : undefined;
}

async function runStep(world: World, advisor: Viewer, step: AdvisorStep): Promise<void> {
  if ((KINDS as readonly string[]).includes(step.kind)) return run(world, step as Step);
  const owner = world.owners[step.pick % world.owners.length]!;
  const cases = liveCases(world).filter((c) => c.owner.id === owner.id);
  const caseId = cases.length > 0 ? cases[step.n % cases.length]!.id : undefined;
  const reminder = { title: `跟进 ${step.n}`, dueOn: day(step.n), dueTime: null, note: '' };
  switch (step.kind) {
    case 'revoke': {
      const active = listSharesForBorrower(owner).find((s) => s.status === 'active');
      if (active) revokeShare(owner, active.id);
      return;
    }
    case 'reshare':
      if (!listSharesForBorrower(owner).some((s) => s.status === 'active')) share(owner, advisor);
      return;
    case 'rename':
      return updateProfile(owner, { displayName: `客户${step.n}` });
    case 'reminder':
      if (caseId) createReminder(owner, caseId, reminder);
      return;
    case 'advisorReminder':
      if (caseId) createReminder(advisor, caseId, reminder);
      return;
    case 'reminderDone': {
      const id = openReminderOf(owner, step.n);
      if (id) setReminderStatus(owner, id, step.flag ? 'done' : 'dismissed');
      return;
    }
    case 'reminderSnooze': {
      const id = openReminderOf(owner, step.n);
      if (id) snoozeReminder(owner, id, day(step.n + 5));
      return;
    }
    case 'rawReminderMove':
      client().prepare("UPDATE reminders SET show_on = ? WHERE id = (SELECT max(id) FROM reminders WHERE owner_id = ? AND status = 'open' AND kind = 'custom')").run(day(step.n), owner.id);
      return;
    case 'rawLenderRename':
      client().prepare('UPDATE lenders SET name = ?, review_workdays = ? WHERE id = ?').run(`贷方${step.n}`, 3 + (step.n % 20), world.lenders[0]!);
      return;
  }
}

/** The dashboard as the page reads it, for a new request (a viewer object of its own) on `today`. */
function dashboards(advisor: Viewer, today: string) {
  return PARAMS.map((params) => loadDashboard({ ...advisor }, params, today));
}

describe('the advisor dashboard kept between requests', () => {
  it('answers what a fresh read answers after every step of random write sequences', async () => {
    const before = keptDashboardCounts();
    let steps = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 30, size: 'max' }), async (sequence) => {
        const advisor = makeAdvisor();
        const world: World = { owners: [makeBorrower(), makeBorrower(), makeBorrower()], lenders: [] };
        // Two public lenders, and the first client's own (the one renamed: renaming a public lender
        // would change what the other test files, sharing the database, look lenders up by).
        const own = createPrivateLender(world.owners[0]!, { name: '自家贷方', kind: 'bank', products: [], hotline: '', appPath: '', reviewWorkdays: 5 });
        world.lenders = [
          own.id,
          ...listLenders(world.owners[0]!)
            .filter((l) => l.ownerId === null)
            .slice(0, 2)
            .map((l) => l.id),
        ];
        for (const owner of world.owners) share(owner, advisor);
        for (const step of [{ kind: 'create', pick: 0, n: 0, flag: false, day: 0 } as AdvisorStep, ...sequence]) {
          // What the advisor's earlier requests kept, on this step's day and the one before.
          dashboards(advisor, DAYS[step.day]!);
          try {
            await runStep(world, advisor, step);
          } catch (error) {
            if (!expectedRefusal(error)) throw error;
          }
          steps += 1;
          const today = DAYS[step.day]!;
          const kept = dashboards(advisor, today);
          // Asked twice with nothing written between: the second answer is the kept one.
          expect(dashboards(advisor, today), `again after ${step.kind}`).toEqual(kept);
          forgetKeptDashboards();
          expect(kept, `after ${step.kind}`).toEqual(dashboards(advisor, today));
        }
      }),
      { numRuns: 60 },
    );
    const after = keptDashboardCounts();
    // The comparisons did use what was kept, and did see it go stale.
    expect(after.hits - before.hits).toBeGreaterThan(steps);
    expect(after.misses - before.misses).toBeGreaterThan(steps / 2);
  }, 120_000);

  it('is kept current by triggers on every table the dashboard reads about a user', () => {
    // A migration that rebuilds one of them (drizzle-kit drops and renames the table) drops its
    // triggers with it: this fails until they are created again.
    const triggers = client()
      .prepare(`SELECT tbl_name AS tableName, count(*) AS n FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'data_versions%' GROUP BY tbl_name ORDER BY tbl_name`)
      .all();
    expect(triggers).toEqual([
      { tableName: 'case_facts', n: 3 },
      { tableName: 'lenders', n: 2 },
      { tableName: 'reminders', n: 3 },
      { tableName: 'shares', n: 3 },
      { tableName: 'users', n: 2 },
    ]);
  });
});

/**
 * One write of each kind the triggers watch, each on its own advisor and client, each changing
 * what the dashboard shows: the answer kept from before the write must not be given after it.
 */
describe('each write the dashboard shows', () => {
  const TODAY = day(20);
  const COPY_CASE =
    'INSERT INTO cases (owner_id, lender_id, product, account_ref, principal_fen, status, created_at, updated_at) SELECT owner_id, lender_id, product, account_ref, principal_fen, status, created_at, updated_at FROM cases WHERE id = ?';
  type Scene = { advisor: Viewer; borrower: Viewer; other: Viewer; caseId: number; plainCaseId: number; reminderId: number; lenderId: number };
  function scene(): Scene {
    const advisor = makeAdvisor();
    const borrower = makeBorrower();
    const second = makeBorrower();
    const other = makeBorrower();
    acceptInvite(advisor, createInvite(borrower, '顾问').code);
    const lender = createPrivateLender(borrower, { name: '自家贷方', kind: 'bank', products: [], hotline: '', appPath: '', reviewWorkdays: 5 });
    const caseId = makeCase(borrower, { lenderId: lender.id });
    // Overdue on TODAY: a line in the attention list.
    const reminderId = createReminder(borrower, caseId, { title: '打电话给客服', dueOn: day(0), dueTime: null, note: '' });
    // A case put in by hand: no reminder, no attempt, nothing but its row (and its facts).
    const plainCaseId = Number(client().prepare(COPY_CASE).run(caseId).lastInsertRowid);
    makeCase(other);
    // A second client, written last: the largest version among the advisor's is not the first
    // client's, so that losing the first client does not by itself lower it.
    acceptInvite(advisor, createInvite(second, '顾问').code);
    makeCase(second);
    return { advisor, borrower, other, caseId, plainCaseId, reminderId, lenderId: lender.id };
  }
  const writes: [string, (s: Scene) => void][] = [
    ['a reminder added (reminders, insert)', (s) => void createReminder(s.borrower, s.caseId, { title: '再打一次', dueOn: day(1), dueTime: null, note: '' })],
    ['a reminder done (reminders, update)', (s) => setReminderStatus(s.borrower, s.reminderId, 'done')],
    ['a reminder deleted (reminders, delete)', (s) => void client().prepare('DELETE FROM reminders WHERE id = ?').run(s.reminderId)],
    ['a case added by hand (case_facts, insert)', (s) => void client().prepare(COPY_CASE).run(s.caseId)],
    ['a case changed by hand (case_facts, delete and insert)', (s) => void client().prepare('UPDATE cases SET principal_fen = principal_fen + 100 WHERE id = ?').run(s.caseId)],
    ['a case deleted by hand (case_facts, delete)', (s) => void client().prepare('DELETE FROM cases WHERE id = ?').run(s.plainCaseId)],
    ['a stored fact changed by hand (case_facts, update)', (s) => void client().prepare('UPDATE case_facts SET total_fen = total_fen + 1 WHERE case_id = ?').run(s.caseId)],
    ['the share revoked (shares, update)', (s) => revokeShare(s.borrower, listSharesForBorrower(s.borrower).find((x) => x.status === 'active')!.id)],
    ['the share deleted by hand (shares, delete)', (s) => void client().prepare('DELETE FROM shares WHERE borrower_id = ?').run(s.borrower.id)],
    [
      'a share made active by hand (shares, insert)',
      (s) =>
        void client()
          .prepare("INSERT INTO shares (borrower_id, advisor_id, status, invite_code_hash, invite_expires_at, consent_at, accepted_at) VALUES (?, ?, 'active', ?, ?, ?, ?)")
          .run(s.other.id, s.advisor.id, `by-hand-${s.other.id}`, Date.now(), Date.now(), Date.now()),
    ],
    ['the client renamed (users, update)', (s) => updateProfile(s.borrower, { displayName: '新名字' })],
    ['the lender renamed (lenders, update)', (s) => void client().prepare('UPDATE lenders SET name = ? WHERE id = ?').run('改名的贷方', s.lenderId)],
  ];
  it.each(writes)('%s', (_name, write) => {
    const s = scene();
    const ask = () => loadDashboard({ ...s.advisor }, parseDashboardParams({}), TODAY);
    const before = ask();
    expect(ask()).toEqual(before);
    write(s);
    const after = ask();
    forgetKeptDashboards();
    const fresh = ask();
    expect(fresh, 'the write shows on the dashboard').not.toEqual(before);
    expect(after).toEqual(fresh);
  });
});

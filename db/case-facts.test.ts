import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { todayInShanghai } from '@/lib/dates';
import { caseInput, contactInput, makeBorrower, rejectInput, submitInput, versionOf } from '@/tests/factories';
import { day, expectedRefusal, run, stepArb, type Step, type World } from '@/tests/write-steps';
import { rejectAttempt, submitAttempt } from './attempts';
import { createCase } from './cases';
import { addContact } from './contacts';
import { getDb } from './client';
import { listLenders } from './lenders';

/**
 * case_facts (migration 0006) is kept by triggers, not by the verbs: whatever sequence of writes
 * happens, each case's row must equal what its base tables say now. fast-check runs random
 * sequences of the real verbs that write cases, attempts, materials requests, plans and
 * instalments, and contacts (and a few raw SQL writes, which no verb guards: tests/write-steps.ts),
 * and after every step compares the table with a recomputation from the base tables written here in JS.
 */

type Row = (string | number | null)[];

const client = () => getDb().$client;

/** The case_facts rows of these owners, in key order. */
function stored(owners: number[]): Row[] {
  const marks = owners.map(() => '?').join(', ');
  return client().prepare(`SELECT * FROM case_facts WHERE owner_id IN (${marks}) ORDER BY owner_id, case_id`).raw().all(...owners) as Row[];
}

/** The same rows worked out from cases, instalments, material_requests, contacts and attempts. */
function recomputed(owners: number[]): Row[] {
  const marks = owners.map(() => '?').join(', ');
  const c = client();
  type CaseRow = { id: number; owner_id: number; lender_id: number; product: string; account_ref: string; status: string; principal_fen: number; interest_fen: number; penalty_fen: number; updated_at: number; archived: number };
  const caseRows = c.prepare(`SELECT * FROM cases WHERE owner_id IN (${marks}) ORDER BY owner_id, id`).all(...owners) as CaseRow[];
  const sortedList = (values: string[]) => (values.length === 0 ? null : [...values].sort().join(','));
  return caseRows.map((k) => {
    const instalments = c.prepare('SELECT due_on, paid_on FROM instalments WHERE case_id = ?').all(k.id) as { due_on: string; paid_on: string | null }[];
    const requests = c.prepare('SELECT attempt_id, deadline, sent_on FROM material_requests WHERE case_id = ?').all(k.id) as { attempt_id: number; deadline: string; sent_on: string | null }[];
    const promises = c.prepare('SELECT occurred_at, promise_due FROM contacts WHERE case_id = ? AND promise_due IS NOT NULL').all(k.id) as { occurred_at: number; promise_due: string }[];
    type AttemptRow = { id: number; round: number; submitted_on: string; decision: string | null; decided_on: string | null; rejection_reason: string | null };
    const attempts = (c.prepare('SELECT * FROM attempts WHERE case_id = ?').all(k.id) as AttemptRow[]).sort((a, b) => a.round - b.round);
    // A promise made during a review the lender has since decided was answered by the decision.
    const answered = (p: { occurred_at: number }) => {
      const day = todayInShanghai(new Date(p.occurred_at));
      return attempts.some((a) => a.decision !== null && a.decided_on !== null && day >= a.submitted_on && day < a.decided_on);
    };
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
      k.principal_fen + k.interest_fen + k.penalty_fen,
      k.updated_at,
      k.archived,
      sortedList(instalments.filter((i) => i.paid_on === null).map((i) => i.due_on)),
      sortedList(requests.filter((r) => r.sent_on === null).map((r) => r.deadline)),
      sortedList(promises.filter((p) => !answered(p)).map((p) => p.promise_due)),
      reviewSince,
      decided.length === 0 ? null : decided.map((a) => `${a.decision},${a.submitted_on},${a.decided_on},${a.rejection_reason ?? ''}`).join(';'),
    ];
  });
}

describe('case_facts', () => {
  it('equals a recomputation from the base tables after every step of random write sequences', async () => {
    let steps = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 40 }), async (sequence) => {
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

  it('leaves out the promises a decision answered, and follows a contact or a decision moved by raw SQL', () => {
    const owner = makeBorrower();
    const id = createCase(owner, caseInput(owner));
    const at = (on: string, time: string) => new Date(`${on}T${time}:00+08:00`);
    submitAttempt(owner, id, versionOf(id), submitInput({ submittedOn: day(0) }));
    addContact(owner, id, contactInput({ occurredAt: at(day(-1), '16:00'), promiseDue: day(20) })); // before the application
    addContact(owner, id, contactInput({ occurredAt: at(day(0), '07:00'), promiseDue: day(21) })); // its first morning (UTC: the day before)
    addContact(owner, id, contactInput({ occurredAt: at(day(3), '10:00'), promiseDue: day(22) }));
    const promiseDues = () => (client().prepare('SELECT promise_dues FROM case_facts WHERE case_id = ?').get(id) as { promise_dues: string | null }).promise_dues;
    expect(promiseDues()).toBe([day(20), day(21), day(22)].join(','));
    rejectAttempt(owner, id, versionOf(id), rejectInput({ decidedOn: day(5) }));
    expect(promiseDues()).toBe(day(20));
    addContact(owner, id, contactInput({ occurredAt: at(day(5), '15:00'), promiseDue: day(23) })); // the day of the decision
    expect(promiseDues()).toBe([day(20), day(23)].join(','));
    const first = client().prepare('SELECT min(id) AS id FROM contacts WHERE case_id = ?').get(id) as { id: number };
    client().prepare('UPDATE contacts SET occurred_at = ? WHERE id = ?').run(at(day(2), '09:00').getTime(), first.id);
    expect(promiseDues()).toBe(day(23));
    client().prepare('UPDATE attempts SET decided_on = ? WHERE case_id = ?').run(day(1), id);
    expect(promiseDues()).toBe([day(20), day(22), day(23)].join(','));
    expect(stored([owner.id])).toEqual(recomputed([owner.id]));
  });

  it('is kept by triggers on all five tables it reads', () => {
    // A migration that rebuilds one of them (drizzle-kit drops and renames the table) drops its
    // triggers with it: this fails until they are created again.
    const triggers = client().prepare(`SELECT tbl_name AS tableName, count(*) AS n FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'case_facts%' GROUP BY tbl_name ORDER BY tbl_name`).all();
    expect(triggers).toEqual(['attempts', 'cases', 'contacts', 'instalments', 'material_requests'].map((tableName) => ({ tableName, n: 3 })));
  });
});

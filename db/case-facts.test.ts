import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDaysIso } from '@/lib/dates';
import { TransitionError } from '@/lib/case-status';
import { ConflictError, DomainError, NotFoundError } from '@/lib/errors';
import {
  approveInput,
  caseInput,
  contactInput,
  escalateInput,
  makeBorrower,
  materialsInput,
  rejectInput,
  submitInput,
  TEST_PASSWORD,
  versionOf,
} from '@/tests/factories';
import { deleteAccount } from './account';
import { approveAttempt, closeEscalation, escalateCase, rejectAttempt, requestMaterials, sendMaterials, submitAttempt, withdrawCase } from './attempts';
import { createCase, deleteCase, setCaseArchived, updateCase } from './cases';
import { getDb } from './client';
import { addContact, deleteContact } from './contacts';
import { listLenders } from './lenders';
import { markInstalmentPaid } from './plans';
import type { Viewer } from './viewer-type';

/**
 * case_facts (migration 0006) is kept by triggers, not by the verbs: whatever sequence of writes
 * happens, each case's row must equal what its base tables say now. fast-check runs random
 * sequences of the real verbs that write cases, attempts, materials requests, plans and
 * instalments, and contacts (and a few raw SQL writes, which no verb guards), and after every
 * step compares the table with a recomputation from the base tables written here in JS.
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
    const promises = c.prepare('SELECT promise_due FROM contacts WHERE case_id = ? AND promise_due IS NOT NULL').all(k.id) as { promise_due: string }[];
    type AttemptRow = { id: number; round: number; submitted_on: string; decision: string | null; decided_on: string | null; rejection_reason: string | null };
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
      k.principal_fen + k.interest_fen + k.penalty_fen,
      k.updated_at,
      k.archived,
      sortedList(instalments.filter((i) => i.paid_on === null).map((i) => i.due_on)),
      sortedList(requests.filter((r) => r.sent_on === null).map((r) => r.deadline)),
      sortedList(promises.map((p) => p.promise_due)),
      reviewSince,
      decided.length === 0 ? null : decided.map((a) => `${a.decision},${a.submitted_on},${a.decided_on},${a.rejection_reason ?? ''}`).join(';'),
    ];
  });
}

// --- the steps -----------------------------------------------------------------------------------

const day = (n: number) => addDaysIso('2025-05-01', n);

/** One step: which verb, on which of the live cases (by index), with which day and choice. */
type Step = { kind: (typeof KINDS)[number]; pick: number; n: number; flag: boolean };

const KINDS = [
  'create',
  'update',
  'submit',
  'requestMaterials',
  'sendMaterials',
  'approve',
  'reject',
  'escalate',
  'closeEscalation',
  'withdraw',
  'pay',
  'addContact',
  'deleteContact',
  'archive',
  'deleteCase',
  'deleteAccount',
  'rawDeleteAttempt',
  'rawMoveInstalment',
  'rawMoveContact',
] as const;

const stepArb: fc.Arbitrary<Step> = fc.record({
  kind: fc.constantFrom(...KINDS),
  pick: fc.nat({ max: 50 }),
  n: fc.nat({ max: 60 }),
  flag: fc.boolean(),
});

type World = { owners: Viewer[]; lenders: number[] };

function liveCases(world: World): { id: number; owner: Viewer }[] {
  const ids = world.owners.map((o) => o.id);
  if (ids.length === 0) return [];
  const rows = client().prepare(`SELECT id, owner_id AS ownerId FROM cases WHERE owner_id IN (${ids.map(() => '?').join(', ')}) ORDER BY id`).all(...ids) as { id: number; ownerId: number }[];
  return rows.map((r) => ({ id: r.id, owner: world.owners.find((o) => o.id === r.ownerId)! }));
}

function rowOf<T>(sql: string, ...params: unknown[]): T | undefined {
  return client().prepare(sql).get(...params) as T | undefined;
}

async function run(world: World, step: Step): Promise<void> {
  const cases = liveCases(world);
  const target = cases.length > 0 ? cases[step.pick % cases.length]! : undefined;
  const on = day(step.n);
  if (step.kind === 'create' || !target) {
    const owner = world.owners[step.pick % world.owners.length];
    if (owner) createCase(owner, caseInput(owner, { lenderId: world.lenders[step.n % world.lenders.length]!, principal: 100_000 + step.n * 1_000 }));
    return;
  }
  const { id, owner } = target;
  const v = () => versionOf(id);
  switch (step.kind) {
    case 'update':
      return updateCase(owner, id, v(), caseInput(owner, { lenderId: world.lenders[step.n % world.lenders.length]!, product: step.flag ? '分期' : '借款', principal: 50_000 + step.n * 7, accountRef: String(1000 + step.n) }));
    case 'submit':
      return void submitAttempt(owner, id, v(), submitInput({ submittedOn: on }));
    case 'requestMaterials':
      return requestMaterials(owner, id, v(), materialsInput({ requestedOn: on, deadline: day(step.n + (step.flag ? 2 : 9)) }));
    case 'sendMaterials':
      return sendMaterials(owner, id, v(), on);
    case 'approve':
      return void approveAttempt(owner, id, v(), approveInput({ decidedOn: on, agreedFirstPaymentOn: day(step.n + 10), agreedPeriods: 1 + (step.n % 4) }));
    case 'reject':
      return rejectAttempt(owner, id, v(), rejectInput({ decidedOn: on, rejectionReason: step.flag ? 'other' : 'credit_history' }));
    case 'escalate':
      return escalateCase(owner, id, v(), escalateInput({ submittedOn: on, route: step.flag ? 'mediation' : 'complaint' }));
    case 'closeEscalation':
      return closeEscalation(owner, id, v(), step.flag ? 'other' : 'withdrawn', '');
    case 'withdraw':
      return withdrawCase(owner, id, v(), '');
    case 'pay': {
      const unpaid = rowOf<{ id: number }>('SELECT id FROM instalments WHERE case_id = ? AND paid_on IS NULL ORDER BY seq LIMIT 1 OFFSET ?', id, step.flag ? 0 : 1);
      if (unpaid) markInstalmentPaid(owner, id, v(), unpaid.id, { paidOn: on, paid: 100 });
      return;
    }
    case 'addContact':
      return void addContact(owner, id, contactInput({ promise: step.flag ? '三个工作日内回电' : '', promiseDue: step.flag ? on : null }));
    case 'deleteContact': {
      const contact = rowOf<{ id: number }>('SELECT id FROM contacts WHERE case_id = ? ORDER BY id LIMIT 1', id);
      if (contact) deleteContact(owner, id, contact.id);
      return;
    }
    case 'archive':
      return setCaseArchived(owner, id, v(), step.flag);
    case 'deleteCase':
      return deleteCase(owner, id);
    case 'deleteAccount':
      await deleteAccount(owner, { password: TEST_PASSWORD, confirmEmail: owner.email });
      world.owners = world.owners.filter((o) => o.id !== owner.id);
      return;
    // Writers no verb guards (a script, a repair by hand): the triggers keep up with them too.
    case 'rawDeleteAttempt': {
      // Cascades to its materials requests and its plan's instalments.
      client().prepare('DELETE FROM attempts WHERE id = (SELECT max(id) FROM attempts WHERE case_id = ?)').run(id);
      return;
    }
    case 'rawMoveInstalment':
      client().prepare('UPDATE instalments SET due_on = ? WHERE id = (SELECT min(id) FROM instalments WHERE case_id = ?)').run(on, id);
      return;
    case 'rawMoveContact': {
      // To another live case (of any owner here): both cases' promise lists change.
      const other = cases[(step.pick + 1) % cases.length]!;
      client().prepare('UPDATE contacts SET case_id = ? WHERE id = (SELECT min(id) FROM contacts WHERE case_id = ?)').run(other.id, id);
      return;
    }
  }
}

/** The verbs refuse what the status machine, the version or the data does not allow: that is part of the sequence. */
function expectedRefusal(error: unknown): boolean {
  return error instanceof TransitionError || error instanceof DomainError || error instanceof ConflictError || error instanceof NotFoundError;
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

  it('is kept by triggers on all five tables it reads', () => {
    // A migration that rebuilds one of them (drizzle-kit drops and renames the table) drops its
    // triggers with it: this fails until they are created again.
    const triggers = client().prepare(`SELECT tbl_name AS tableName, count(*) AS n FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'case_facts%' GROUP BY tbl_name ORDER BY tbl_name`).all();
    expect(triggers).toEqual(['attempts', 'cases', 'contacts', 'instalments', 'material_requests'].map((tableName) => ({ tableName, n: 3 })));
  });
});

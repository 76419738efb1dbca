import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { escalationFollowupOn } from '@/lib/reminder-rules';
import { getDb } from './client';
import { generateInto } from './generate';

/**
 * The benchmark's generator (issue 6): a seed in, the same data out; and its escalated cases are
 * recorded as escalateCase records them, so that the dashboard reads them as it reads real ones.
 */

const today = '2026-06-15';

type Row = Record<string, string | number | null>;

/** Each escalated case of the domain's borrowers with its latest round, its case_facts route and its follow-up reminder. */
function escalated(domain: string): Row[] {
  return getDb()
    .$client.prepare(
      `SELECT c.id AS caseId, a.id AS attemptId, a.round, a.program, a.channel, a.submitted_on AS submittedOn, a.decision,
              (SELECT max(p.decided_on) FROM attempts p WHERE p.case_id = c.id AND p.round < a.round) AS rejectedOn,
              f.review_route AS route, r.due_on AS followupOn, r.status AS followupStatus,
              (SELECT count(*) FROM case_events e WHERE e.case_id = c.id AND e.kind = 'escalated'
                 AND json_extract(e.data, '$.round') = a.round AND json_extract(e.data, '$.route') = a.program) AS events
         FROM cases c JOIN users u ON u.id = c.owner_id
         JOIN attempts a ON a.case_id = c.id AND a.round = (SELECT max(round) FROM attempts WHERE case_id = c.id)
         JOIN case_facts f ON f.case_id = c.id
         LEFT JOIN reminders r ON r.case_id = c.id AND r.rule_key = 'review:' || a.id
        WHERE u.email LIKE ? AND c.status = 'escalated' ORDER BY c.id`,
    )
    .all(`%@${domain}`) as Row[];
}

describe('the generator', () => {
  it('makes the same data from the same seed', () => {
    const a = generateInto(getDb(), { seed: 5, size: 'small', today, emailDomain: `g-${randomBytes(4).toString('hex')}.test` });
    const b = generateInto(getDb(), { seed: 5, size: 'small', today, emailDomain: `g-${randomBytes(4).toString('hex')}.test` });
    expect(b.counts).toEqual(a.counts);
    expect(a.counts.cases).toBe(600);
  });

  it('records an escalation as a round before a mediator or the regulator, followed up on its route’s day', () => {
    const domain = `g-${randomBytes(4).toString('hex')}.test`;
    generateInto(getDb(), { seed: 9, size: 'small', today, emailDomain: domain });
    const rows = escalated(domain);
    expect(rows.length).toBeGreaterThan(5);
    for (const row of rows) {
      const where = `case ${row.caseId}`;
      expect(['mediation', 'complaint'], where).toContain(row.program);
      expect(row.channel, where).toBe(row.program === 'mediation' ? 'mediator' : 'regulator');
      expect(row.decision, where).toBeNull();
      expect(row.route, where).toBe(row.program);
      expect(row.submittedOn! >= row.rejectedOn!, where).toBe(true);
      expect(row.submittedOn! <= today, where).toBe(true);
      expect(row.followupOn, where).toBe(escalationFollowupOn(String(row.submittedOn), String(row.program)));
      expect(row.followupStatus, where).toBe('open');
      expect(row.events, where).toBe(1);
    }
    // Both routes, as in life.
    expect(new Set(rows.map((r) => r.program)).size).toBe(2);
    // Nothing is applied for or decided after today.
    const later = getDb()
      .$client.prepare(
        `SELECT count(*) AS n FROM attempts a JOIN cases c ON c.id = a.case_id JOIN users u ON u.id = c.owner_id
          WHERE u.email LIKE ? AND (a.submitted_on > ? OR a.decided_on > ?)`,
      )
      .get(`%@${domain}`, today, today) as { n: number };
    expect(later.n).toBe(0);
  });

  it('has advisors write notes on their clients’ cases, after the share began and not after today, some of them lately', () => {
    const domain = `g-${randomBytes(4).toString('hex')}.test`;
    generateInto(getDb(), { seed: 11, size: 'small', today, emailDomain: domain });
    const notes = getDb()
      .$client.prepare(
        `SELECT e.id, e.created_at AS at, json_extract(e.data, '$.text') AS text, a.role AS actorRole,
                (SELECT min(s.accepted_at) FROM shares s WHERE s.borrower_id = c.owner_id AND s.advisor_id = e.actor_id AND s.status = 'active') AS sharedAt
           FROM case_events e JOIN cases c ON c.id = e.case_id JOIN users u ON u.id = c.owner_id JOIN users a ON a.id = e.actor_id
          WHERE u.email LIKE ? AND e.kind = 'note' AND e.actor_id <> c.owner_id`,
      )
      .all(`%@${domain}`) as { id: number; at: number; text: string; actorRole: string; sharedAt: number | null }[];
    expect(notes.length).toBeGreaterThan(20);
    const endOfToday = Date.parse(`${today}T16:00:00Z`);
    for (const n of notes) {
      expect(n.actorRole, `note ${n.id}`).toBe('advisor');
      expect(n.sharedAt, `note ${n.id}: written by an advisor the borrower shares with`).not.toBeNull();
      expect(n.at, `note ${n.id}`).toBeGreaterThanOrEqual(n.sharedAt!);
      expect(n.at, `note ${n.id}`).toBeLessThan(endOfToday);
      expect(n.text, `note ${n.id}`).toMatch(/\S/);
    }
    // Some within the home's 14 days, as a borrower's home would show them.
    expect(notes.filter((n) => n.at >= endOfToday - 14 * 86_400_000).length).toBeGreaterThan(0);
  });

  it('has borrowers write notes on their own cases, at the case’s last activity', () => {
    const domain = `g-${randomBytes(4).toString('hex')}.test`;
    generateInto(getDb(), { seed: 13, size: 'small', today, emailDomain: domain });
    const notes = getDb()
      .$client.prepare(
        `SELECT e.id, e.created_at AS at, json_extract(e.data, '$.text') AS text, c.created_at AS caseCreatedAt, c.updated_at AS caseUpdatedAt
           FROM case_events e JOIN cases c ON c.id = e.case_id JOIN users u ON u.id = c.owner_id
          WHERE u.email LIKE ? AND e.kind = 'note' AND e.actor_id = c.owner_id`,
      )
      .all(`%@${domain}`) as { id: number; at: number; text: string; caseCreatedAt: number; caseUpdatedAt: number }[];
    // About one case in five of the 600.
    expect(notes.length).toBeGreaterThan(60);
    expect(notes.length).toBeLessThan(200);
    for (const n of notes) {
      expect(n.at, `note ${n.id}`).toBeGreaterThanOrEqual(n.caseCreatedAt);
      expect(n.at, `note ${n.id}: not after the case's last activity`).toBeLessThanOrEqual(n.caseUpdatedAt);
      expect(n.text, `note ${n.id}`).toMatch(/\S/);
    }
    // No case's last activity comes before its creation.
    const backwards = getDb()
      .$client.prepare(`SELECT count(*) AS n FROM cases c JOIN users u ON u.id = c.owner_id WHERE u.email LIKE ? AND c.updated_at < c.created_at`)
      .get(`%@${domain}`) as { n: number };
    expect(backwards.n).toBe(0);
  });
});

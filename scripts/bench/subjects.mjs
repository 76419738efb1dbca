/**
 * Who the benchmark signs in as, and what it opens: chosen by the same rule at every size, so
 * that the large size's pages show as much as the everyday size's (only the tables around
 * them are ten times larger).
 *  - borrower: the first with exactly 4 cases (none archived), one of them repaying, 5–30 open
 *    reminders, and an advisor's note of the last 13 days (the home lists the last 14 days'); the
 *    case page is that repaying case;
 *  - advisor: a1@bench.test, who has 500 clients at both sizes;
 *  - writers: 50 other borrowers, each with an open case, so the contacts the write benchmark
 *    adds spread over 50 cases instead of piling on one;
 *  - the borrower's calendar-feed token (made here when there is none yet).
 */
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';

export function pickSubjects(file, today) {
  const db = new Database(file);
  try {
    const borrower = db
      .prepare(
        `SELECT u.id, u.email FROM users u
         WHERE u.role = 'borrower'
           AND (SELECT count(*) FROM cases c WHERE c.owner_id = u.id) = 4
           AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.owner_id = u.id AND c.archived = 1)
           AND EXISTS (SELECT 1 FROM cases c WHERE c.owner_id = u.id AND c.status = 'repaying')
           AND (SELECT count(*) FROM reminders r WHERE r.owner_id = u.id AND r.status = 'open') BETWEEN 5 AND 30
           AND EXISTS (SELECT 1 FROM cases c JOIN case_events e ON e.case_id = c.id
                        WHERE c.owner_id = u.id AND c.archived = 0 AND e.kind = 'note' AND e.actor_id <> u.id AND e.created_at >= ?)
         ORDER BY u.id LIMIT 1`,
      )
      .get(Date.parse(`${today}T00:00:00+08:00`) - 13 * 86_400_000);
    if (!borrower) throw new Error('no borrower fits the benchmark profile');
    const caseId = db.prepare(`SELECT id FROM cases WHERE owner_id = ? AND status = 'repaying' ORDER BY id LIMIT 1`).get(borrower.id).id;
    const advisor = db.prepare(`SELECT id, email FROM users WHERE email = 'a1@bench.test'`).get();
    const writers = db
      .prepare(
        `SELECT u.id, u.email, (SELECT c.id FROM cases c WHERE c.owner_id = u.id AND c.status IN ('under_review', 'repaying') ORDER BY c.id LIMIT 1) AS caseId
         FROM users u WHERE u.role = 'borrower' AND u.id > ? ORDER BY u.id LIMIT 200`,
      )
      .all(borrower.id)
      .filter((w) => w.caseId != null)
      .slice(0, 50);
    let token = db.prepare('SELECT calendar_token AS t FROM users WHERE id = ?').get(borrower.id).t;
    if (!token) {
      token = randomBytes(32).toString('base64url');
      db.prepare('UPDATE users SET calendar_token = ? WHERE id = ?').run(token, borrower.id);
    }
    const counts = {
      cases: db.prepare('SELECT count(*) AS n FROM cases').get().n,
      borrowers: db.prepare(`SELECT count(*) AS n FROM users WHERE role = 'borrower'`).get().n,
      advisorClients: db.prepare(`SELECT count(*) AS n FROM shares WHERE advisor_id = ? AND status = 'active'`).get(advisor.id).n,
      borrowerOpenReminders: db.prepare(`SELECT count(*) AS n FROM reminders WHERE owner_id = ? AND status = 'open'`).get(borrower.id).n,
    };
    return { today, borrower, caseId, advisor, writers, calendarToken: token, counts };
  } finally {
    db.close();
  }
}

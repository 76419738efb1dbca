-- An amount left blank on a case is "not given" (null), no longer 0: ¥0.00 of principal read as a debt
-- of nothing. ALTER COLUMN … DROP NOT NULL (SQLite 3.53, which better-sqlite3 bundles) changes a column
-- in place: the tables keep their rows, indexes and triggers, and case_facts its WITHOUT ROWID. Their
-- DEFAULT 0 stays, unused, since every writer gives the amounts. A case's total is the sum of the
-- amounts given, null when none is.
ALTER TABLE `cases` ALTER COLUMN `principal_fen` DROP NOT NULL;
--> statement-breakpoint
ALTER TABLE `cases` ALTER COLUMN `interest_fen` DROP NOT NULL;
--> statement-breakpoint
ALTER TABLE `cases` ALTER COLUMN `penalty_fen` DROP NOT NULL;
--> statement-breakpoint
ALTER TABLE `case_facts` ALTER COLUMN `total_fen` DROP NOT NULL;
--> statement-breakpoint
-- The view of migration 0019, its total_fen as above.
DROP VIEW `case_facts_source`;
--> statement-breakpoint
CREATE VIEW `case_facts_source` AS SELECT
  c.owner_id AS owner_id,
  c.id AS case_id,
  c.lender_id AS lender_id,
  c.product AS product,
  c.account_ref AS account_ref,
  c.status AS status,
  CASE WHEN coalesce(c.principal_fen, c.interest_fen, c.penalty_fen) IS NOT NULL
    THEN coalesce(c.principal_fen, 0) + coalesce(c.interest_fen, 0) + coalesce(c.penalty_fen, 0) END AS total_fen,
  c.updated_at AS updated_at,
  c.archived AS archived,
  (SELECT group_concat(i.due_on, ',' ORDER BY i.due_on) FROM instalments i
    WHERE i.case_id = c.id AND (i.paid_on is null or i.paid_fen < i.amount_fen)) AS unpaid_dues,
  (SELECT group_concat(m.deadline, ',' ORDER BY m.deadline) FROM material_requests m
    WHERE m.case_id = c.id AND (m.sent_on is null and m.closed_on is null)) AS unsent_deadlines,
  (SELECT min(r.show_on || '|' || r.kind) FROM reminders r WHERE r.case_id = c.id AND r.status = 'open'
    AND r.kind NOT IN ('materials_nudge', 'instalment_upcoming')) AS next_reminder,
  (SELECT max(a.submitted_on, coalesce((SELECT max(m.sent_on) FROM material_requests m WHERE m.attempt_id = a.id), ''))
    FROM attempts a WHERE a.case_id = c.id ORDER BY a.round DESC LIMIT 1) AS review_since,
  (SELECT group_concat(a.decision || ',' || a.submitted_on || ',' || a.decided_on || ',' || coalesce(a.rejection_reason, '')
      || (CASE WHEN a.channel IN ('mediator', 'regulator') THEN ',x' ELSE '' END), ';' ORDER BY a.round)
    FROM attempts a WHERE a.case_id = c.id AND a.decision IS NOT NULL AND a.decided_on IS NOT NULL) AS decisions,
  (SELECT CASE a.channel WHEN 'regulator' THEN 'complaint' WHEN 'mediator' THEN 'mediation' END
    FROM attempts a WHERE a.case_id = c.id ORDER BY a.round DESC LIMIT 1) AS review_route
FROM cases c;
--> statement-breakpoint
-- A case stored before with a principal of 0 had it left blank: no debt is of nothing. Its interest and
-- penalty of 0 were blank too when all three were 0; beside an amount given, a 0 may have been typed, and
-- stays. The trigger on cases (migration 0006) copies each row changed into case_facts through the view.
UPDATE `cases` SET
  `interest_fen` = CASE WHEN `interest_fen` = 0 AND `penalty_fen` = 0 THEN NULL ELSE `interest_fen` END,
  `penalty_fen` = CASE WHEN `interest_fen` = 0 AND `penalty_fen` = 0 THEN NULL ELSE `penalty_fen` END,
  `principal_fen` = NULL
WHERE `principal_fen` = 0;

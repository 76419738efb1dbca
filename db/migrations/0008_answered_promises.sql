-- A lender's promise made during a review (from the day the application went in until the day before
-- the lender decided) is answered by the decision: it no longer counts among a case's dates, as its
-- chase reminder is closed by the decision (lib/reminder-rules.ts onDecided). The same rule is in
-- db/cases.ts nextDateSql, for the borrower's lists. The view is case_facts_source of migration 0006
-- with only promise_dues changed; the contacts trigger now also watches occurred_at, which the rule reads.
DROP VIEW `case_facts_source`;
--> statement-breakpoint
CREATE VIEW `case_facts_source` AS SELECT
  c.owner_id AS owner_id,
  c.id AS case_id,
  c.lender_id AS lender_id,
  c.product AS product,
  c.account_ref AS account_ref,
  c.status AS status,
  c.principal_fen + c.interest_fen + c.penalty_fen AS total_fen,
  c.updated_at AS updated_at,
  c.archived AS archived,
  (SELECT group_concat(i.due_on, ',' ORDER BY i.due_on) FROM instalments i
    WHERE i.case_id = c.id AND i.paid_on IS NULL) AS unpaid_dues,
  (SELECT group_concat(m.deadline, ',' ORDER BY m.deadline) FROM material_requests m
    WHERE m.case_id = c.id AND m.sent_on IS NULL) AS unsent_deadlines,
  (SELECT group_concat(k.promise_due, ',' ORDER BY k.promise_due) FROM contacts k
    WHERE k.case_id = c.id AND k.promise_due IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM attempts a WHERE a.case_id = k.case_id AND a.decision IS NOT NULL
        AND date(k.occurred_at / 1000, 'unixepoch', '+8 hours') >= a.submitted_on
        AND date(k.occurred_at / 1000, 'unixepoch', '+8 hours') < a.decided_on)) AS promise_dues,
  (SELECT max(a.submitted_on, coalesce((SELECT max(m.sent_on) FROM material_requests m WHERE m.attempt_id = a.id), ''))
    FROM attempts a WHERE a.case_id = c.id ORDER BY a.round DESC LIMIT 1) AS review_since,
  (SELECT group_concat(a.decision || ',' || a.submitted_on || ',' || a.decided_on || ',' || coalesce(a.rejection_reason, ''), ';' ORDER BY a.round)
    FROM attempts a WHERE a.case_id = c.id AND a.decision IS NOT NULL AND a.decided_on IS NOT NULL) AS decisions
FROM cases c;
--> statement-breakpoint
DROP TRIGGER `case_facts_contacts_update`;
--> statement-breakpoint
CREATE TRIGGER `case_facts_contacts_update` AFTER UPDATE OF case_id, occurred_at, promise_due ON `contacts` BEGIN
  DELETE FROM case_facts WHERE (owner_id, case_id) IN (SELECT owner_id, id FROM cases WHERE id IN (OLD.case_id, NEW.case_id));
  INSERT INTO case_facts SELECT * FROM case_facts_source WHERE case_id IN (OLD.case_id, NEW.case_id);
END;
--> statement-breakpoint
-- The stored rows of the cases with an answered promise, copied out of the view again.
CREATE TEMP TABLE `answered_promise_cases` AS SELECT DISTINCT k.case_id AS case_id FROM contacts k JOIN attempts a ON a.case_id = k.case_id
  WHERE k.promise_due IS NOT NULL AND a.decision IS NOT NULL
    AND date(k.occurred_at / 1000, 'unixepoch', '+8 hours') >= a.submitted_on
    AND date(k.occurred_at / 1000, 'unixepoch', '+8 hours') < a.decided_on;
--> statement-breakpoint
DELETE FROM case_facts WHERE (owner_id, case_id) IN (SELECT owner_id, id FROM cases WHERE id IN (SELECT case_id FROM answered_promise_cases));
--> statement-breakpoint
INSERT INTO case_facts SELECT * FROM case_facts_source WHERE case_id IN (SELECT case_id FROM answered_promise_cases);
--> statement-breakpoint
DROP TABLE `answered_promise_cases`;

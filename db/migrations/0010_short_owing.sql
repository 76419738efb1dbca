DROP INDEX `instalments_unpaid_idx`;--> statement-breakpoint
CREATE INDEX `instalments_unpaid_idx` ON `instalments` (`case_id`,`due_on`) WHERE paid_on is null or paid_fen < amount_fen;--> statement-breakpoint
CREATE INDEX `reminders_short_pending_idx` ON `reminders` (`status`,`due_on`) WHERE kind = 'instalment_short' and urgent = 0;--> statement-breakpoint
-- An instalment paid short is still owed: case_facts' unpaid_dues (the dashboard's missed instalments,
-- the advisor's next date) counts it until it is paid in full, as db/plans.ts planCounts does. The view
-- is that of migration 0008 with this one condition changed (spelt as the index above spells it).
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
    WHERE i.case_id = c.id AND (i.paid_on is null or i.paid_fen < i.amount_fen)) AS unpaid_dues,
  (SELECT group_concat(m.deadline, ',' ORDER BY m.deadline) FROM material_requests m
    WHERE m.case_id = c.id AND m.sent_on IS NULL) AS unsent_deadlines,
  (SELECT min(r.show_on) FROM reminders r WHERE r.case_id = c.id AND r.status = 'open'
    AND r.kind NOT IN ('materials_nudge', 'instalment_upcoming')) AS next_reminder,
  (SELECT max(a.submitted_on, coalesce((SELECT max(m.sent_on) FROM material_requests m WHERE m.attempt_id = a.id), ''))
    FROM attempts a WHERE a.case_id = c.id ORDER BY a.round DESC LIMIT 1) AS review_since,
  (SELECT group_concat(a.decision || ',' || a.submitted_on || ',' || a.decided_on || ',' || coalesce(a.rejection_reason, ''), ';' ORDER BY a.round)
    FROM attempts a WHERE a.case_id = c.id AND a.decision IS NOT NULL AND a.decided_on IS NOT NULL) AS decisions
FROM cases c;
--> statement-breakpoint
-- A payment's amount alone corrected (db/plans.ts correctInstalmentPayment, the same day) changes what is owed too.
DROP TRIGGER `case_facts_instalments_update`;
--> statement-breakpoint
CREATE TRIGGER `case_facts_instalments_update` AFTER UPDATE OF case_id, due_on, paid_on, paid_fen, amount_fen ON `instalments` BEGIN
  DELETE FROM case_facts WHERE (owner_id, case_id) IN (SELECT owner_id, id FROM cases WHERE id IN (OLD.case_id, NEW.case_id));
  INSERT INTO case_facts SELECT * FROM case_facts_source WHERE case_id IN (OLD.case_id, NEW.case_id);
END;
--> statement-breakpoint
-- The cases with an instalment paid short, read again through the new view.
DELETE FROM case_facts WHERE (owner_id, case_id) IN (SELECT owner_id, id FROM cases WHERE id IN (SELECT case_id FROM instalments WHERE paid_fen < amount_fen));
--> statement-breakpoint
INSERT INTO case_facts SELECT * FROM case_facts_source WHERE case_id IN (SELECT case_id FROM instalments WHERE paid_fen < amount_fen);

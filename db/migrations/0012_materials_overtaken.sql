DROP INDEX `material_requests_unsent_idx`;--> statement-breakpoint
ALTER TABLE `material_requests` ADD `closed_on` text;--> statement-breakpoint
CREATE INDEX `material_requests_unsent_idx` ON `material_requests` (`case_id`,`deadline`) WHERE sent_on is null and closed_on is null;--> statement-breakpoint
-- A request the lender's decision overtook (approved or rejected before the materials went) is no longer
-- awaited: case_facts' unsent deadlines (the dashboard's materials deadlines, the advisor's next date) leave
-- it out, as the partial index above does. The view is that of migration 0010 with this one condition changed.
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
    WHERE m.case_id = c.id AND (m.sent_on is null and m.closed_on is null)) AS unsent_deadlines,
  (SELECT min(r.show_on) FROM reminders r WHERE r.case_id = c.id AND r.status = 'open'
    AND r.kind NOT IN ('materials_nudge', 'instalment_upcoming')) AS next_reminder,
  (SELECT max(a.submitted_on, coalesce((SELECT max(m.sent_on) FROM material_requests m WHERE m.attempt_id = a.id), ''))
    FROM attempts a WHERE a.case_id = c.id ORDER BY a.round DESC LIMIT 1) AS review_since,
  (SELECT group_concat(a.decision || ',' || a.submitted_on || ',' || a.decided_on || ',' || coalesce(a.rejection_reason, ''), ';' ORDER BY a.round)
    FROM attempts a WHERE a.case_id = c.id AND a.decision IS NOT NULL AND a.decided_on IS NOT NULL) AS decisions
FROM cases c;
--> statement-breakpoint
DROP TRIGGER `case_facts_material_requests_update`;
--> statement-breakpoint
CREATE TRIGGER `case_facts_material_requests_update` AFTER UPDATE OF case_id, attempt_id, deadline, sent_on, closed_on ON `material_requests` BEGIN
  DELETE FROM case_facts WHERE (owner_id, case_id) IN (SELECT owner_id, id FROM cases WHERE id IN (OLD.case_id, (SELECT case_id FROM attempts WHERE id = OLD.attempt_id), NEW.case_id, (SELECT case_id FROM attempts WHERE id = NEW.attempt_id)));
  INSERT INTO case_facts SELECT * FROM case_facts_source WHERE case_id IN (OLD.case_id, (SELECT case_id FROM attempts WHERE id = OLD.attempt_id), NEW.case_id, (SELECT case_id FROM attempts WHERE id = NEW.attempt_id));
END;

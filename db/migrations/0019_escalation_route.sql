ALTER TABLE `case_facts` ADD `review_route` text;--> statement-breakpoint
-- An escalation goes quiet, on the advisor's dashboard, when the borrower's follow-up falls due, and that
-- follows the route (lib/reminder-rules.ts escalationFollowupOn): a complaint's 15 calendar days, then the
-- next workday; a mediation's 15 workdays. case_facts keeps the latest round's route (review_route, the
-- column added above, last as the view's is): 'complaint' for the regulator, 'mediation' for a mediator,
-- null for a round asked of the lender. WITHOUT ROWID stays: ADD COLUMN does not rebuild the table. The
-- view is that of migration 0017 with this one column added; the triggers of 0006 and 0008 copy its rows.
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
-- A round's channel corrected (by hand: no verb changes an escalation's) changes its route, and the ",x" of
-- decisions (migration 0013), which this trigger of 0006 did not follow.
DROP TRIGGER `case_facts_attempts_update`;
--> statement-breakpoint
CREATE TRIGGER `case_facts_attempts_update` AFTER UPDATE OF id, case_id, round, submitted_on, channel, decision, decided_on, rejection_reason ON `attempts` BEGIN
  DELETE FROM case_facts WHERE (owner_id, case_id) IN (SELECT owner_id, id FROM cases WHERE id IN (OLD.case_id, NEW.case_id));
  INSERT INTO case_facts SELECT * FROM case_facts_source WHERE case_id IN (OLD.case_id, NEW.case_id);
END;
--> statement-breakpoint
-- The rows stored before have no route (null, as the column was added): only the cases with a round of
-- mediation or a complaint are read again.
DELETE FROM case_facts WHERE (owner_id, case_id) IN (SELECT owner_id, id FROM cases WHERE id IN (SELECT case_id FROM attempts WHERE channel IN ('mediator', 'regulator')));
--> statement-breakpoint
INSERT INTO case_facts SELECT * FROM case_facts_source WHERE case_id IN (SELECT case_id FROM attempts WHERE channel IN ('mediator', 'regulator'));

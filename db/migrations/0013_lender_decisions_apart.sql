-- A decision reached through mediation or a complaint (the round's channel is the mediator or the
-- regulator) is marked ",x" in case_facts' decisions: the advisor's lender chart counts only the lenders'
-- own reviews (db/advisor.ts). The view is that of migration 0012 with this one column changed; a row
-- without the mark reads as a lender's decision, so only the cases with such a decision are read again.
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
  (SELECT group_concat(a.decision || ',' || a.submitted_on || ',' || a.decided_on || ',' || coalesce(a.rejection_reason, '')
      || (CASE WHEN a.channel IN ('mediator', 'regulator') THEN ',x' ELSE '' END), ';' ORDER BY a.round)
    FROM attempts a WHERE a.case_id = c.id AND a.decision IS NOT NULL AND a.decided_on IS NOT NULL) AS decisions
FROM cases c;
--> statement-breakpoint
DELETE FROM case_facts WHERE (owner_id, case_id) IN (SELECT owner_id, id FROM cases WHERE id IN (SELECT case_id FROM attempts WHERE channel IN ('mediator', 'regulator') AND decision IS NOT NULL));
--> statement-breakpoint
INSERT INTO case_facts SELECT * FROM case_facts_source WHERE case_id IN (SELECT case_id FROM attempts WHERE channel IN ('mediator', 'regulator') AND decision IS NOT NULL);

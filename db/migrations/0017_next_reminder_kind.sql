-- The advisor's table says what each case's next date is for, as the borrower's lists do (db/cases.ts
-- nextDateSql): case_facts' next_reminder keeps the earliest open reminder's kind beside its date,
-- 'YYYY-MM-DD|kind' (on one day, the kind first in alphabetical order, as nextDateSql's min picks it).
-- The view is that of migration 0013 with this one column changed; the triggers of 0006 and 0008 copy
-- its rows as they are. Only the cases with an open reminder that counts are read again.
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
    FROM attempts a WHERE a.case_id = c.id AND a.decision IS NOT NULL AND a.decided_on IS NOT NULL) AS decisions
FROM cases c;
--> statement-breakpoint
DELETE FROM case_facts WHERE next_reminder IS NOT NULL;
--> statement-breakpoint
INSERT INTO case_facts SELECT * FROM case_facts_source s
  WHERE NOT EXISTS (SELECT 1 FROM case_facts f WHERE f.owner_id = s.owner_id AND f.case_id = s.case_id);

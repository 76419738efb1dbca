-- A case's next date (db/cases.ts nextDateSql) counts its open reminders: the day to check a review's
-- result, each lender promise still to chase (a decision closes those it answered), a decision to make,
-- the person's own — but not the notices ahead of a deadline or an instalment, which count by their own
-- date. case_facts keeps the earliest of them (next_reminder) in place of every promised date
-- (promise_dues): a promise is a next date while its chase is open, not after the decision answered it.
-- The view is case_facts_source of migration 0006 with that one column changed; triggers on reminders
-- keep it, as those of 0006 keep the rest.
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
  (SELECT min(r.show_on) FROM reminders r WHERE r.case_id = c.id AND r.status = 'open'
    AND r.kind NOT IN ('materials_nudge', 'instalment_upcoming')) AS next_reminder,
  (SELECT max(a.submitted_on, coalesce((SELECT max(m.sent_on) FROM material_requests m WHERE m.attempt_id = a.id), ''))
    FROM attempts a WHERE a.case_id = c.id ORDER BY a.round DESC LIMIT 1) AS review_since,
  (SELECT group_concat(a.decision || ',' || a.submitted_on || ',' || a.decided_on || ',' || coalesce(a.rejection_reason, ''), ';' ORDER BY a.round)
    FROM attempts a WHERE a.case_id = c.id AND a.decision IS NOT NULL AND a.decided_on IS NOT NULL) AS decisions
FROM cases c;
--> statement-breakpoint
-- After the view: renaming checks every view and trigger, and the triggers of 0006 read the view.
ALTER TABLE `case_facts` RENAME COLUMN `promise_dues` TO `next_reminder`;
--> statement-breakpoint
CREATE TRIGGER `case_facts_reminders_insert` AFTER INSERT ON `reminders` WHEN NEW.case_id IS NOT NULL AND NEW.status = 'open' AND NEW.kind NOT IN ('materials_nudge', 'instalment_upcoming') BEGIN
  DELETE FROM case_facts WHERE (owner_id, case_id) IN (SELECT owner_id, id FROM cases WHERE id IN (NEW.case_id));
  INSERT INTO case_facts SELECT * FROM case_facts_source WHERE case_id IN (NEW.case_id);
END;
--> statement-breakpoint
CREATE TRIGGER `case_facts_reminders_update` AFTER UPDATE OF case_id, status, show_on ON `reminders`
  WHEN (OLD.status = 'open' OR NEW.status = 'open') AND NEW.kind NOT IN ('materials_nudge', 'instalment_upcoming')
    AND (OLD.case_id IS NOT NEW.case_id OR OLD.status IS NOT NEW.status OR OLD.show_on IS NOT NEW.show_on) BEGIN
  DELETE FROM case_facts WHERE (owner_id, case_id) IN (SELECT owner_id, id FROM cases WHERE id IN (OLD.case_id, NEW.case_id));
  INSERT INTO case_facts SELECT * FROM case_facts_source WHERE case_id IN (OLD.case_id, NEW.case_id);
END;
--> statement-breakpoint
CREATE TRIGGER `case_facts_reminders_delete` AFTER DELETE ON `reminders` WHEN OLD.case_id IS NOT NULL AND OLD.status = 'open' AND OLD.kind NOT IN ('materials_nudge', 'instalment_upcoming') BEGIN
  DELETE FROM case_facts WHERE (owner_id, case_id) IN (SELECT owner_id, id FROM cases WHERE id IN (OLD.case_id));
  INSERT INTO case_facts SELECT * FROM case_facts_source WHERE case_id IN (OLD.case_id);
END;
--> statement-breakpoint
-- A case's next promise is no longer read from contacts (migration 0005's partial index).
DROP INDEX `contacts_promise_idx`;
--> statement-breakpoint
-- A case's open reminders in date order, their kinds beside: the next date is the first that is not a notice,
-- read from the index alone (the view, the triggers' refill and the borrower's lists).
DROP INDEX `reminders_case_idx`;
--> statement-breakpoint
CREATE INDEX `reminders_case_idx` ON `reminders` (`case_id`,`status`,`show_on`,`kind`);
--> statement-breakpoint
-- The review follow-up after further material was sent gave the sending day as the application's
-- (lib/reminder-rules.ts onMaterialsSent): it now carries both. Those already made get them too.
UPDATE `reminders` SET `data` = json_set(`data`,
    '$.sentOn', json_extract(`data`, '$.submittedOn'),
    '$.submittedOn', (SELECT a.submitted_on FROM attempts a WHERE a.id = CAST(substr(reminders.rule_key, 8, instr(substr(reminders.rule_key, 8), ':') - 1) AS INTEGER)))
  WHERE `kind` = 'review_followup' AND `rule_key` LIKE 'review:%:%'
    AND json_extract(`data`, '$.sentOn') IS NULL AND json_extract(`data`, '$.submittedOn') IS NOT NULL
    AND EXISTS (SELECT 1 FROM attempts a WHERE a.id = CAST(substr(reminders.rule_key, 8, instr(substr(reminders.rule_key, 8), ':') - 1) AS INTEGER));
--> statement-breakpoint
-- Every stored row again, out of the new view.
DELETE FROM case_facts;
--> statement-breakpoint
INSERT INTO case_facts SELECT * FROM case_facts_source;

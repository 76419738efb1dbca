CREATE TABLE `case_facts` (
	`owner_id` integer NOT NULL,
	`case_id` integer NOT NULL,
	`lender_id` integer NOT NULL,
	`product` text NOT NULL,
	`account_ref` text NOT NULL,
	`status` text NOT NULL,
	`total_fen` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`archived` integer NOT NULL,
	`unpaid_dues` text,
	`unsent_deadlines` text,
	`promise_dues` text,
	`review_since` text,
	`decisions` text,
	PRIMARY KEY(`owner_id`, `case_id`)
) WITHOUT ROWID;--> statement-breakpoint
-- case_facts (issue 6): what the advisor dashboard needs of each case, kept true by the triggers
-- below on every write, whoever writes (the db verbs, the generator, a restore, a test's raw SQL).
-- Hand-written after drizzle-kit's CREATE TABLE, to which WITHOUT ROWID was added by hand (drizzle
-- cannot declare it, drizzle-orm#408). The view is the one definition of a case's facts, its
-- columns in the table's order: the backfill and every trigger copy a case's row out of it
-- (DELETE, then INSERT … SELECT *: no OR REPLACE, which an outer statement's OR clause would
-- override). A later migration that rebuilds cases, attempts, material_requests, contacts or
-- instalments (drizzle-kit: CREATE __new_x, copy, DROP x, RENAME) must drop this view and these
-- triggers first (SQLite's RENAME checks every view and trigger) and create them again after;
-- db/case-facts.test.ts fails while any is missing.
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
    WHERE k.case_id = c.id AND k.promise_due IS NOT NULL) AS promise_dues,
  (SELECT max(a.submitted_on, coalesce((SELECT max(m.sent_on) FROM material_requests m WHERE m.attempt_id = a.id), ''))
    FROM attempts a WHERE a.case_id = c.id ORDER BY a.round DESC LIMIT 1) AS review_since,
  (SELECT group_concat(a.decision || ',' || a.submitted_on || ',' || a.decided_on || ',' || coalesce(a.rejection_reason, ''), ';' ORDER BY a.round)
    FROM attempts a WHERE a.case_id = c.id AND a.decision IS NOT NULL AND a.decided_on IS NOT NULL) AS decisions
FROM cases c;
--> statement-breakpoint
CREATE TRIGGER `case_facts_cases_insert` AFTER INSERT ON `cases` BEGIN
  DELETE FROM case_facts WHERE owner_id = NEW.owner_id AND case_id = NEW.id;
  INSERT INTO case_facts SELECT * FROM case_facts_source WHERE case_id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER `case_facts_cases_update` AFTER UPDATE OF id, owner_id, lender_id, product, account_ref, status, principal_fen, interest_fen, penalty_fen, updated_at, archived ON `cases` BEGIN
  DELETE FROM case_facts WHERE owner_id = OLD.owner_id AND case_id = OLD.id;
  INSERT INTO case_facts SELECT * FROM case_facts_source WHERE case_id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER `case_facts_cases_delete` AFTER DELETE ON `cases` BEGIN
  DELETE FROM case_facts WHERE owner_id = OLD.owner_id AND case_id = OLD.id;
END;
--> statement-breakpoint
CREATE TRIGGER `case_facts_instalments_insert` AFTER INSERT ON `instalments` BEGIN
  DELETE FROM case_facts WHERE (owner_id, case_id) IN (SELECT owner_id, id FROM cases WHERE id IN (NEW.case_id));
  INSERT INTO case_facts SELECT * FROM case_facts_source WHERE case_id IN (NEW.case_id);
END;
--> statement-breakpoint
CREATE TRIGGER `case_facts_instalments_update` AFTER UPDATE OF case_id, due_on, paid_on ON `instalments` BEGIN
  DELETE FROM case_facts WHERE (owner_id, case_id) IN (SELECT owner_id, id FROM cases WHERE id IN (OLD.case_id, NEW.case_id));
  INSERT INTO case_facts SELECT * FROM case_facts_source WHERE case_id IN (OLD.case_id, NEW.case_id);
END;
--> statement-breakpoint
CREATE TRIGGER `case_facts_instalments_delete` AFTER DELETE ON `instalments` BEGIN
  DELETE FROM case_facts WHERE (owner_id, case_id) IN (SELECT owner_id, id FROM cases WHERE id IN (OLD.case_id));
  INSERT INTO case_facts SELECT * FROM case_facts_source WHERE case_id IN (OLD.case_id);
END;
--> statement-breakpoint
CREATE TRIGGER `case_facts_contacts_insert` AFTER INSERT ON `contacts` BEGIN
  DELETE FROM case_facts WHERE (owner_id, case_id) IN (SELECT owner_id, id FROM cases WHERE id IN (NEW.case_id));
  INSERT INTO case_facts SELECT * FROM case_facts_source WHERE case_id IN (NEW.case_id);
END;
--> statement-breakpoint
CREATE TRIGGER `case_facts_contacts_update` AFTER UPDATE OF case_id, promise_due ON `contacts` BEGIN
  DELETE FROM case_facts WHERE (owner_id, case_id) IN (SELECT owner_id, id FROM cases WHERE id IN (OLD.case_id, NEW.case_id));
  INSERT INTO case_facts SELECT * FROM case_facts_source WHERE case_id IN (OLD.case_id, NEW.case_id);
END;
--> statement-breakpoint
CREATE TRIGGER `case_facts_contacts_delete` AFTER DELETE ON `contacts` BEGIN
  DELETE FROM case_facts WHERE (owner_id, case_id) IN (SELECT owner_id, id FROM cases WHERE id IN (OLD.case_id));
  INSERT INTO case_facts SELECT * FROM case_facts_source WHERE case_id IN (OLD.case_id);
END;
--> statement-breakpoint
CREATE TRIGGER `case_facts_attempts_insert` AFTER INSERT ON `attempts` BEGIN
  DELETE FROM case_facts WHERE (owner_id, case_id) IN (SELECT owner_id, id FROM cases WHERE id IN (NEW.case_id));
  INSERT INTO case_facts SELECT * FROM case_facts_source WHERE case_id IN (NEW.case_id);
END;
--> statement-breakpoint
CREATE TRIGGER `case_facts_attempts_update` AFTER UPDATE OF id, case_id, round, submitted_on, decision, decided_on, rejection_reason ON `attempts` BEGIN
  DELETE FROM case_facts WHERE (owner_id, case_id) IN (SELECT owner_id, id FROM cases WHERE id IN (OLD.case_id, NEW.case_id));
  INSERT INTO case_facts SELECT * FROM case_facts_source WHERE case_id IN (OLD.case_id, NEW.case_id);
END;
--> statement-breakpoint
CREATE TRIGGER `case_facts_attempts_delete` AFTER DELETE ON `attempts` BEGIN
  DELETE FROM case_facts WHERE (owner_id, case_id) IN (SELECT owner_id, id FROM cases WHERE id IN (OLD.case_id));
  INSERT INTO case_facts SELECT * FROM case_facts_source WHERE case_id IN (OLD.case_id);
END;
--> statement-breakpoint
CREATE TRIGGER `case_facts_material_requests_insert` AFTER INSERT ON `material_requests` BEGIN
  DELETE FROM case_facts WHERE (owner_id, case_id) IN (SELECT owner_id, id FROM cases WHERE id IN (NEW.case_id, (SELECT case_id FROM attempts WHERE id = NEW.attempt_id)));
  INSERT INTO case_facts SELECT * FROM case_facts_source WHERE case_id IN (NEW.case_id, (SELECT case_id FROM attempts WHERE id = NEW.attempt_id));
END;
--> statement-breakpoint
CREATE TRIGGER `case_facts_material_requests_update` AFTER UPDATE OF case_id, attempt_id, deadline, sent_on ON `material_requests` BEGIN
  DELETE FROM case_facts WHERE (owner_id, case_id) IN (SELECT owner_id, id FROM cases WHERE id IN (OLD.case_id, (SELECT case_id FROM attempts WHERE id = OLD.attempt_id), NEW.case_id, (SELECT case_id FROM attempts WHERE id = NEW.attempt_id)));
  INSERT INTO case_facts SELECT * FROM case_facts_source WHERE case_id IN (OLD.case_id, (SELECT case_id FROM attempts WHERE id = OLD.attempt_id), NEW.case_id, (SELECT case_id FROM attempts WHERE id = NEW.attempt_id));
END;
--> statement-breakpoint
CREATE TRIGGER `case_facts_material_requests_delete` AFTER DELETE ON `material_requests` BEGIN
  DELETE FROM case_facts WHERE (owner_id, case_id) IN (SELECT owner_id, id FROM cases WHERE id IN (OLD.case_id, (SELECT case_id FROM attempts WHERE id = OLD.attempt_id)));
  INSERT INTO case_facts SELECT * FROM case_facts_source WHERE case_id IN (OLD.case_id, (SELECT case_id FROM attempts WHERE id = OLD.attempt_id));
END;
--> statement-breakpoint
-- Backfill: every case there is now.
INSERT INTO `case_facts` SELECT * FROM `case_facts_source`;

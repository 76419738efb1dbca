CREATE TABLE `data_versions` (
	`user_id` integer PRIMARY KEY NOT NULL,
	`version` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `data_versions_version_idx` ON `data_versions` (`version`);
--> statement-breakpoint
-- data_versions (issue 6): when each user's part of the advisor dashboard last changed
-- (db/schema/data-versions.ts). Hand-written after drizzle-kit's CREATE TABLE: triggers on every
-- table the dashboard reads about a user bump that user's row to one more than the largest
-- version in the table, so a version never comes back. A later migration that rebuilds one of
-- these tables (case_facts, reminders, shares, users, lenders) must create its triggers again.
CREATE TRIGGER `data_versions_case_facts_insert` AFTER INSERT ON `case_facts` BEGIN
  INSERT INTO `data_versions` (`user_id`, `version`) SELECT NEW.`owner_id`, (SELECT coalesce(max(`version`), 0) + 1 FROM `data_versions`) WHERE NEW.`owner_id` IS NOT NULL
    ON CONFLICT (`user_id`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
CREATE TRIGGER `data_versions_case_facts_update` AFTER UPDATE ON `case_facts` BEGIN
  INSERT INTO `data_versions` (`user_id`, `version`) SELECT OLD.`owner_id`, (SELECT coalesce(max(`version`), 0) + 1 FROM `data_versions`) WHERE OLD.`owner_id` IS NOT NULL
    ON CONFLICT (`user_id`) DO UPDATE SET `version` = excluded.`version`;
  INSERT INTO `data_versions` (`user_id`, `version`) SELECT NEW.`owner_id`, (SELECT coalesce(max(`version`), 0) + 1 FROM `data_versions`) WHERE NEW.`owner_id` IS NOT NULL
    ON CONFLICT (`user_id`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
CREATE TRIGGER `data_versions_case_facts_delete` AFTER DELETE ON `case_facts` BEGIN
  INSERT INTO `data_versions` (`user_id`, `version`) SELECT OLD.`owner_id`, (SELECT coalesce(max(`version`), 0) + 1 FROM `data_versions`) WHERE OLD.`owner_id` IS NOT NULL
    ON CONFLICT (`user_id`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
CREATE TRIGGER `data_versions_reminders_insert` AFTER INSERT ON `reminders` BEGIN
  INSERT INTO `data_versions` (`user_id`, `version`) SELECT NEW.`owner_id`, (SELECT coalesce(max(`version`), 0) + 1 FROM `data_versions`) WHERE NEW.`owner_id` IS NOT NULL
    ON CONFLICT (`user_id`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
CREATE TRIGGER `data_versions_reminders_update` AFTER UPDATE ON `reminders` BEGIN
  INSERT INTO `data_versions` (`user_id`, `version`) SELECT OLD.`owner_id`, (SELECT coalesce(max(`version`), 0) + 1 FROM `data_versions`) WHERE OLD.`owner_id` IS NOT NULL
    ON CONFLICT (`user_id`) DO UPDATE SET `version` = excluded.`version`;
  INSERT INTO `data_versions` (`user_id`, `version`) SELECT NEW.`owner_id`, (SELECT coalesce(max(`version`), 0) + 1 FROM `data_versions`) WHERE NEW.`owner_id` IS NOT NULL
    ON CONFLICT (`user_id`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
CREATE TRIGGER `data_versions_reminders_delete` AFTER DELETE ON `reminders` BEGIN
  INSERT INTO `data_versions` (`user_id`, `version`) SELECT OLD.`owner_id`, (SELECT coalesce(max(`version`), 0) + 1 FROM `data_versions`) WHERE OLD.`owner_id` IS NOT NULL
    ON CONFLICT (`user_id`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
CREATE TRIGGER `data_versions_shares_insert` AFTER INSERT ON `shares` BEGIN
  INSERT INTO `data_versions` (`user_id`, `version`) SELECT NEW.`advisor_id`, (SELECT coalesce(max(`version`), 0) + 1 FROM `data_versions`) WHERE NEW.`advisor_id` IS NOT NULL
    ON CONFLICT (`user_id`) DO UPDATE SET `version` = excluded.`version`;
  INSERT INTO `data_versions` (`user_id`, `version`) SELECT NEW.`borrower_id`, (SELECT coalesce(max(`version`), 0) + 1 FROM `data_versions`) WHERE NEW.`borrower_id` IS NOT NULL
    ON CONFLICT (`user_id`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
CREATE TRIGGER `data_versions_shares_update` AFTER UPDATE ON `shares` BEGIN
  INSERT INTO `data_versions` (`user_id`, `version`) SELECT OLD.`advisor_id`, (SELECT coalesce(max(`version`), 0) + 1 FROM `data_versions`) WHERE OLD.`advisor_id` IS NOT NULL
    ON CONFLICT (`user_id`) DO UPDATE SET `version` = excluded.`version`;
  INSERT INTO `data_versions` (`user_id`, `version`) SELECT OLD.`borrower_id`, (SELECT coalesce(max(`version`), 0) + 1 FROM `data_versions`) WHERE OLD.`borrower_id` IS NOT NULL
    ON CONFLICT (`user_id`) DO UPDATE SET `version` = excluded.`version`;
  INSERT INTO `data_versions` (`user_id`, `version`) SELECT NEW.`advisor_id`, (SELECT coalesce(max(`version`), 0) + 1 FROM `data_versions`) WHERE NEW.`advisor_id` IS NOT NULL
    ON CONFLICT (`user_id`) DO UPDATE SET `version` = excluded.`version`;
  INSERT INTO `data_versions` (`user_id`, `version`) SELECT NEW.`borrower_id`, (SELECT coalesce(max(`version`), 0) + 1 FROM `data_versions`) WHERE NEW.`borrower_id` IS NOT NULL
    ON CONFLICT (`user_id`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
CREATE TRIGGER `data_versions_shares_delete` AFTER DELETE ON `shares` BEGIN
  INSERT INTO `data_versions` (`user_id`, `version`) SELECT OLD.`advisor_id`, (SELECT coalesce(max(`version`), 0) + 1 FROM `data_versions`) WHERE OLD.`advisor_id` IS NOT NULL
    ON CONFLICT (`user_id`) DO UPDATE SET `version` = excluded.`version`;
  INSERT INTO `data_versions` (`user_id`, `version`) SELECT OLD.`borrower_id`, (SELECT coalesce(max(`version`), 0) + 1 FROM `data_versions`) WHERE OLD.`borrower_id` IS NOT NULL
    ON CONFLICT (`user_id`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
CREATE TRIGGER `data_versions_users_update` AFTER UPDATE OF `display_name`, `email` ON `users` BEGIN
  INSERT INTO `data_versions` (`user_id`, `version`) SELECT NEW.`id`, (SELECT coalesce(max(`version`), 0) + 1 FROM `data_versions`) WHERE NEW.`id` IS NOT NULL
    ON CONFLICT (`user_id`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
CREATE TRIGGER `data_versions_users_delete` AFTER DELETE ON `users` BEGIN
  INSERT INTO `data_versions` (`user_id`, `version`) SELECT OLD.`id`, (SELECT coalesce(max(`version`), 0) + 1 FROM `data_versions`) WHERE OLD.`id` IS NOT NULL
    ON CONFLICT (`user_id`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
CREATE TRIGGER `data_versions_lenders_update` AFTER UPDATE ON `lenders` BEGIN
  INSERT INTO `data_versions` (`user_id`, `version`) SELECT 0, (SELECT coalesce(max(`version`), 0) + 1 FROM `data_versions`) WHERE 0 IS NOT NULL
    ON CONFLICT (`user_id`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
CREATE TRIGGER `data_versions_lenders_delete` AFTER DELETE ON `lenders` BEGIN
  INSERT INTO `data_versions` (`user_id`, `version`) SELECT 0, (SELECT coalesce(max(`version`), 0) + 1 FROM `data_versions`) WHERE 0 IS NOT NULL
    ON CONFLICT (`user_id`) DO UPDATE SET `version` = excluded.`version`;
END;

-- access_log keeps an advisor's lines when the advisor deletes their account (ON DELETE SET NULL),
-- with the name they had then. drizzle-kit's rebuild copied a column the old table lacks: the
-- copy fills advisor_name from users instead.
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_access_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`borrower_id` integer NOT NULL,
	`advisor_id` integer,
	`advisor_name` text DEFAULT '' NOT NULL,
	`case_id` integer,
	`action` text NOT NULL,
	`detail` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`borrower_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`advisor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
INSERT INTO `__new_access_log`("id", "borrower_id", "advisor_id", "advisor_name", "case_id", "action", "detail", "created_at") SELECT "id", "borrower_id", "advisor_id", coalesce((SELECT "display_name" FROM `users` WHERE `users`."id" = `access_log`."advisor_id"), ''), "case_id", "action", "detail", "created_at" FROM `access_log`;--> statement-breakpoint
DROP TABLE `access_log`;--> statement-breakpoint
ALTER TABLE `__new_access_log` RENAME TO `access_log`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `access_log_borrower_idx` ON `access_log` (`borrower_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `access_log_advisor_idx` ON `access_log` (`advisor_id`);
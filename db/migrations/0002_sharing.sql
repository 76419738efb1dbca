CREATE TABLE `access_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`borrower_id` integer NOT NULL,
	`advisor_id` integer NOT NULL,
	`case_id` integer,
	`action` text NOT NULL,
	`detail` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`borrower_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`advisor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `access_log_borrower_idx` ON `access_log` (`borrower_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `access_log_advisor_idx` ON `access_log` (`advisor_id`);--> statement-breakpoint
CREATE TABLE `shares` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`borrower_id` integer NOT NULL,
	`advisor_id` integer,
	`status` text DEFAULT 'invited' NOT NULL,
	`invite_code_hash` text NOT NULL,
	`invite_expires_at` integer NOT NULL,
	`label` text DEFAULT '' NOT NULL,
	`consent_at` integer NOT NULL,
	`sensitive_consent_at` integer,
	`accepted_at` integer,
	`revoked_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`borrower_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`advisor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `shares_invite_code_unique` ON `shares` (`invite_code_hash`);--> statement-breakpoint
CREATE INDEX `shares_borrower_idx` ON `shares` (`borrower_id`,`status`);--> statement-breakpoint
CREATE INDEX `shares_advisor_idx` ON `shares` (`advisor_id`,`status`,`borrower_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `shares_active_pair_unique` ON `shares` (`borrower_id`,`advisor_id`) WHERE status = 'active';--> statement-breakpoint
ALTER TABLE `documents` ADD `sensitive` integer DEFAULT false NOT NULL;
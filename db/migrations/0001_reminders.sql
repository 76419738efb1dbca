CREATE TABLE `email_deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`kind` text NOT NULL,
	`dedupe_key` text NOT NULL,
	`reminder_ids` text DEFAULT '[]' NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`locked_until` integer DEFAULT 0 NOT NULL,
	`sent_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `email_deliveries_dedupe_unique` ON `email_deliveries` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `email_deliveries_pending_idx` ON `email_deliveries` (`status`,`locked_until`);--> statement-breakpoint
CREATE INDEX `email_deliveries_user_idx` ON `email_deliveries` (`user_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `reminders` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`owner_id` integer NOT NULL,
	`case_id` integer,
	`kind` text NOT NULL,
	`rule_key` text,
	`title` text,
	`note` text DEFAULT '' NOT NULL,
	`data` text DEFAULT '{}' NOT NULL,
	`due_on` text NOT NULL,
	`due_time` text,
	`urgent` integer DEFAULT false NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`auto_closed` integer DEFAULT false NOT NULL,
	`snoozed_until` text,
	`show_on` text NOT NULL,
	`created_by` integer,
	`mailed_at` integer,
	`closed_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reminders_owner_rule_unique` ON `reminders` (`owner_id`,`rule_key`);--> statement-breakpoint
CREATE INDEX `reminders_owner_open_idx` ON `reminders` (`owner_id`,`status`,`show_on`);--> statement-breakpoint
CREATE INDEX `reminders_case_idx` ON `reminders` (`case_id`,`status`);--> statement-breakpoint
CREATE INDEX `reminders_mail_idx` ON `reminders` (`status`,`mailed_at`,`show_on`);--> statement-breakpoint
ALTER TABLE `users` ADD `email_reminders` integer DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `calendar_token` text;--> statement-breakpoint
CREATE UNIQUE INDEX `users_calendar_token_unique` ON `users` (`calendar_token`);
CREATE TABLE `form_submissions` (
	`user_id` integer NOT NULL,
	`key` text NOT NULL,
	`result_id` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`user_id`, `key`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sessions_user_idx` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`email` text NOT NULL,
	`display_name` text NOT NULL,
	`role` text DEFAULT 'borrower' NOT NULL,
	`locale` text DEFAULT 'zh-CN' NOT NULL,
	`password_hash` text NOT NULL,
	`disabled` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);--> statement-breakpoint
CREATE TABLE `lenders` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`products` text DEFAULT '[]' NOT NULL,
	`channels` text DEFAULT '{}' NOT NULL,
	`programs` text DEFAULT '[]' NOT NULL,
	`documents` text DEFAULT '[]' NOT NULL,
	`review_workdays` integer DEFAULT 5 NOT NULL,
	`owner_id` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `lenders_owner_idx` ON `lenders` (`owner_id`);--> statement-breakpoint
CREATE INDEX `lenders_name_idx` ON `lenders` (`name`);--> statement-breakpoint
CREATE TABLE `attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`case_id` integer NOT NULL,
	`round` integer NOT NULL,
	`program` text NOT NULL,
	`proposed_periods` integer,
	`proposed_monthly_fen` integer,
	`proposed_first_payment_on` text,
	`proposed_waived_fen` integer,
	`submitted_on` text NOT NULL,
	`channel` text NOT NULL,
	`lender_ref` text DEFAULT '' NOT NULL,
	`decision` text,
	`decided_on` text,
	`rejection_reason` text,
	`rejection_text` text,
	`agreed_periods` integer,
	`agreed_monthly_fen` integer,
	`agreed_first_payment_on` text,
	`agreed_waived_fen` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `attempts_case_round_unique` ON `attempts` (`case_id`,`round`);--> statement-breakpoint
CREATE TABLE `case_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`case_id` integer NOT NULL,
	`actor_id` integer,
	`kind` text NOT NULL,
	`data` text DEFAULT '{}' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `case_events_case_idx` ON `case_events` (`case_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `cases` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`owner_id` integer NOT NULL,
	`lender_id` integer NOT NULL,
	`product` text DEFAULT '' NOT NULL,
	`account_ref` text DEFAULT '' NOT NULL,
	`principal_fen` integer DEFAULT 0 NOT NULL,
	`interest_fen` integer DEFAULT 0 NOT NULL,
	`penalty_fen` integer DEFAULT 0 NOT NULL,
	`overdue_since` text,
	`status` text DEFAULT 'preparing' NOT NULL,
	`outcome` text,
	`archived` integer DEFAULT false NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`lender_id`) REFERENCES `lenders`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE INDEX `cases_owner_idx` ON `cases` (`owner_id`,`archived`,`status`);--> statement-breakpoint
CREATE INDEX `cases_lender_idx` ON `cases` (`lender_id`);--> statement-breakpoint
CREATE TABLE `contacts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`case_id` integer NOT NULL,
	`channel` text NOT NULL,
	`occurred_at` integer NOT NULL,
	`agent_id` text DEFAULT '' NOT NULL,
	`summary` text NOT NULL,
	`promise` text,
	`promise_due` text,
	`created_by` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `contacts_case_idx` ON `contacts` (`case_id`,`occurred_at`);--> statement-breakpoint
CREATE TABLE `documents` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`case_id` integer NOT NULL,
	`attempt_id` integer,
	`kind` text NOT NULL,
	`status` text DEFAULT 'needed' NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`file_name` text,
	`stored_name` text,
	`mime_type` text,
	`size_bytes` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`attempt_id`) REFERENCES `attempts`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `documents_case_idx` ON `documents` (`case_id`);--> statement-breakpoint
CREATE INDEX `documents_attempt_idx` ON `documents` (`attempt_id`);--> statement-breakpoint
CREATE TABLE `instalments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`plan_id` integer NOT NULL,
	`case_id` integer NOT NULL,
	`seq` integer NOT NULL,
	`due_on` text NOT NULL,
	`amount_fen` integer NOT NULL,
	`paid_on` text,
	`paid_fen` integer,
	FOREIGN KEY (`plan_id`) REFERENCES `plans`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `instalments_plan_seq_unique` ON `instalments` (`plan_id`,`seq`);--> statement-breakpoint
CREATE INDEX `instalments_case_due_idx` ON `instalments` (`case_id`,`due_on`);--> statement-breakpoint
CREATE TABLE `material_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`case_id` integer NOT NULL,
	`attempt_id` integer NOT NULL,
	`what` text NOT NULL,
	`requested_on` text NOT NULL,
	`deadline` text NOT NULL,
	`sent_on` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`attempt_id`) REFERENCES `attempts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `material_requests_case_idx` ON `material_requests` (`case_id`);--> statement-breakpoint
CREATE INDEX `material_requests_attempt_idx` ON `material_requests` (`attempt_id`);--> statement-breakpoint
CREATE TABLE `plans` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`case_id` integer NOT NULL,
	`attempt_id` integer NOT NULL,
	`periods` integer NOT NULL,
	`monthly_fen` integer NOT NULL,
	`first_due_on` text NOT NULL,
	`total_fen` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`attempt_id`) REFERENCES `attempts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `plans_case_idx` ON `plans` (`case_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `plans_attempt_unique` ON `plans` (`attempt_id`);
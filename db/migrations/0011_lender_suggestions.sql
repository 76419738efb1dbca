CREATE TABLE `lender_suggestions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`author_id` integer NOT NULL,
	`lender_id` integer,
	`body` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`resolved_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`lender_id`) REFERENCES `lenders`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `lender_suggestions_status_idx` ON `lender_suggestions` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `lender_suggestions_author_idx` ON `lender_suggestions` (`author_id`,`created_at`);
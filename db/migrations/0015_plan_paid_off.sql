ALTER TABLE `plans` ADD `paid_off_on` text;--> statement-breakpoint
ALTER TABLE `plans` ADD `paid_off_owed_fen` integer;
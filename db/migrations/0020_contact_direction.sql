ALTER TABLE `contacts` ADD `direction` text;--> statement-breakpoint
ALTER TABLE `contacts` ADD `their_number` text DEFAULT '' NOT NULL;
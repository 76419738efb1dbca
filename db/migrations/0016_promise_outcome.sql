ALTER TABLE `contacts` ADD `promise_outcome` text;--> statement-breakpoint
ALTER TABLE `contacts` ADD `promise_outcome_on` text;
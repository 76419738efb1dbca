ALTER TABLE `lenders` ADD `seed_name` text;--> statement-breakpoint
-- Until now every public lender came from the seed, by the name it still has: the seed finds it
-- by that name from now on (db/seed/lenders.ts), whatever an admin renames it to.
UPDATE `lenders` SET `seed_name` = `name` WHERE `owner_id` IS NULL;

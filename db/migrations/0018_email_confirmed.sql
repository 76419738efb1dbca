ALTER TABLE `users` ADD `email_confirmed_at` integer;--> statement-breakpoint
-- Reminder mail now waits for the address to be confirmed. The accounts already here count as confirmed:
-- their reminders have been going to that address, and stopping them unasked could cost someone an instalment.
UPDATE `users` SET `email_confirmed_at` = `created_at`;

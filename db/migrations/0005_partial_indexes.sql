CREATE INDEX `contacts_promise_idx` ON `contacts` (`case_id`,`promise_due`) WHERE promise_due is not null;--> statement-breakpoint
CREATE INDEX `instalments_unpaid_idx` ON `instalments` (`case_id`,`due_on`) WHERE paid_on is null;--> statement-breakpoint
CREATE INDEX `material_requests_unsent_idx` ON `material_requests` (`case_id`,`deadline`) WHERE sent_on is null;
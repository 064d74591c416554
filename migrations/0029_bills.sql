CREATE TABLE `bill_lines` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`bill_id` text NOT NULL,
	`position` integer NOT NULL,
	`description` text NOT NULL,
	`quantity_milli` integer NOT NULL,
	`unit_price` integer NOT NULL,
	`tax_rate` integer DEFAULT 0 NOT NULL,
	`amount` integer NOT NULL,
	`tax` integer NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`bill_id`) REFERENCES `bills`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `bill_lines_bill_idx` ON `bill_lines` (`bill_id`,`position`);--> statement-breakpoint
CREATE TABLE `bills` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`supplier_name` text DEFAULT '' NOT NULL,
	`number` text DEFAULT '' NOT NULL,
	`issue_date` text,
	`due_date` text,
	`currency` text NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`notes` text DEFAULT '' NOT NULL,
	`subtotal` integer DEFAULT 0 NOT NULL,
	`tax` integer DEFAULT 0 NOT NULL,
	`total` integer DEFAULT 0 NOT NULL,
	`source_document_id` text,
	`confidence` real,
	`confidence_notes` text DEFAULT '[]' NOT NULL,
	`approval_request_id` text,
	`created_by` text,
	`created_by_agent` text,
	`paid_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`source_document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `bills_org_status_idx` ON `bills` (`org_id`,`status`,`id`);--> statement-breakpoint
CREATE INDEX `bills_org_idx` ON `bills` (`org_id`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `bills_org_document_unique` ON `bills` (`org_id`,`source_document_id`);--> statement-breakpoint
CREATE TABLE `document_inbox_reads` (
	`org_id` text NOT NULL,
	`document_id` text NOT NULL,
	`outcome` text NOT NULL,
	`bill_id` text,
	`note` text DEFAULT '' NOT NULL,
	`read_at` integer NOT NULL,
	PRIMARY KEY(`org_id`, `document_id`),
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE cascade
);

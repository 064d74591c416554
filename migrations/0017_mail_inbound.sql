CREATE TABLE `mail_inbound_messages` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`message_id` text NOT NULL,
	`from_address` text NOT NULL,
	`from_name` text,
	`subject` text NOT NULL,
	`received_at` integer NOT NULL,
	`outcome` text NOT NULL,
	`document_id` text,
	`comment_id` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `mail_inbound_messages_org_message_unique` ON `mail_inbound_messages` (`org_id`,`message_id`);--> statement-breakpoint
CREATE INDEX `mail_inbound_messages_org_document_idx` ON `mail_inbound_messages` (`org_id`,`document_id`);--> statement-breakpoint
CREATE TABLE `mail_inboxes` (
	`org_id` text PRIMARY KEY NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`address` text NOT NULL,
	`host` text NOT NULL,
	`port` integer NOT NULL,
	`security` text NOT NULL,
	`auth_method` text DEFAULT 'password' NOT NULL,
	`username` text NOT NULL,
	`password_encrypted` text,
	`folder` text DEFAULT 'INBOX' NOT NULL,
	`delete_after_import` integer DEFAULT false NOT NULL,
	`state` text DEFAULT 'connecting' NOT NULL,
	`last_error` text,
	`last_error_at` integer,
	`last_sync_at` integer,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);

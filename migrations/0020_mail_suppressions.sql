CREATE TABLE `mail_suppressions` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text,
	`address` text NOT NULL,
	`reason` text NOT NULL,
	`source` text NOT NULL,
	`detail` text,
	`message_id` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `mail_suppressions_org_entry_idx` ON `mail_suppressions` (`org_id`,`address`,`reason`) WHERE "mail_suppressions"."org_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX `mail_suppressions_box_entry_idx` ON `mail_suppressions` (`address`,`reason`) WHERE "mail_suppressions"."org_id" is null;--> statement-breakpoint
CREATE INDEX `mail_suppressions_address_idx` ON `mail_suppressions` (`address`);--> statement-breakpoint
CREATE INDEX `mail_messages_provider_id_idx` ON `mail_messages` (`provider_message_id`);--> statement-breakpoint
CREATE INDEX `mail_messages_header_idx` ON `mail_messages` (`message_id_header`);
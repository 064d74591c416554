ALTER TABLE `mail_messages` ADD `html_body` text;--> statement-breakpoint
ALTER TABLE `mail_messages` ADD `reply_to` text;--> statement-breakpoint
ALTER TABLE `mail_messages` ADD `kind` text DEFAULT 'essential' NOT NULL;--> statement-breakpoint
ALTER TABLE `mail_messages` ADD `attempts` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `mail_messages` ADD `queued_at` integer;--> statement-breakpoint
ALTER TABLE `mail_messages` ADD `next_attempt_at` integer;--> statement-breakpoint
ALTER TABLE `mail_messages` ADD `message_id_header` text;--> statement-breakpoint
ALTER TABLE `mail_messages` ADD `provider` text;--> statement-breakpoint
ALTER TABLE `mail_messages` ADD `provider_message_id` text;--> statement-breakpoint
ALTER TABLE `mail_messages` ADD `last_answer` text;--> statement-breakpoint
ALTER TABLE `mail_messages` ADD `sent_at` integer;--> statement-breakpoint
CREATE INDEX `mail_messages_due_idx` ON `mail_messages` (`status`,`next_attempt_at`);
CREATE TABLE `broadcast_recipients` (
	`broadcast_id` text NOT NULL,
	`user_id` text NOT NULL,
	`org_id` text NOT NULL,
	`in_console` integer NOT NULL,
	`by_email` integer NOT NULL,
	`notification_id` text,
	`mail_id` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`broadcast_id`, `user_id`),
	FOREIGN KEY (`broadcast_id`) REFERENCES `broadcasts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `broadcasts` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`sender_id` text,
	`subject` text NOT NULL,
	`body` text NOT NULL,
	`audience_type` text NOT NULL,
	`audience_id` text,
	`audience_label` text NOT NULL,
	`status` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`delivered_at` integer,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`sender_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `broadcasts_org_idx` ON `broadcasts` (`org_id`,`id`);--> statement-breakpoint
CREATE INDEX `broadcasts_sending_idx` ON `broadcasts` (`status`);
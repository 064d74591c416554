CREATE TABLE `github_connections` (
	`org_id` text NOT NULL,
	`user_id` text NOT NULL,
	`login` text NOT NULL,
	`token_encrypted` text NOT NULL,
	`repositories` text NOT NULL,
	`status` text DEFAULT 'connected' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`org_id`, `user_id`),
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `timesheet_draft_decisions` (
	`org_id` text NOT NULL,
	`user_id` text NOT NULL,
	`week_start` text NOT NULL,
	`suggestion_key` text NOT NULL,
	`decision` text NOT NULL,
	`decided_at` integer NOT NULL,
	PRIMARY KEY(`org_id`, `user_id`, `week_start`, `suggestion_key`),
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);

CREATE TABLE `membership_invitations` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`user_id` text NOT NULL,
	`role` text NOT NULL,
	`display_name` text NOT NULL,
	`invited_by` text,
	`expires_at` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`invited_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `membership_invitations_org_user_unique` ON `membership_invitations` (`org_id`,`user_id`);--> statement-breakpoint
CREATE INDEX `membership_invitations_user_idx` ON `membership_invitations` (`user_id`);--> statement-breakpoint
ALTER TABLE `memberships` ADD `display_name` text;--> statement-breakpoint
ALTER TABLE `users` ADD `home_org_id` text;
CREATE TABLE `agent_notices` (
	`org_id` text NOT NULL,
	`agent_id` text NOT NULL,
	`subject_id` text NOT NULL,
	`recipient` text NOT NULL,
	`level` text NOT NULL,
	`about` text NOT NULL,
	`sent_at` integer NOT NULL,
	PRIMARY KEY(`org_id`, `agent_id`, `subject_id`, `recipient`),
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `approval_requests` ADD `urgency` text;--> statement-breakpoint
ALTER TABLE `approval_requests` ADD `urgency_step` integer;--> statement-breakpoint
ALTER TABLE `audit_events` ADD `actor_agent_id` text;--> statement-breakpoint
ALTER TABLE `task_changes` ADD `actor_agent_id` text;--> statement-breakpoint
ALTER TABLE `tasks` ADD `stuck_at` integer;
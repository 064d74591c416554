CREATE TABLE `job_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`job_id` text NOT NULL,
	`org_id` text,
	`status` text NOT NULL,
	`trigger` text NOT NULL,
	`attempt` integer DEFAULT 0 NOT NULL,
	`queued_at` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	`duration_ms` integer,
	`retry_at` integer,
	`progress` integer DEFAULT 0 NOT NULL,
	`progress_message` text,
	`log` text NOT NULL,
	`result_text` text,
	`result_links` text,
	`error` text,
	`requested_by` text,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`requested_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `job_runs_status_idx` ON `job_runs` (`status`);--> statement-breakpoint
CREATE INDEX `job_runs_job_idx` ON `job_runs` (`job_id`,`org_id`,`queued_at`);--> statement-breakpoint
CREATE INDEX `job_runs_org_idx` ON `job_runs` (`org_id`,`queued_at`);--> statement-breakpoint
CREATE TABLE `job_states` (
	`job_id` text NOT NULL,
	`scope` text NOT NULL,
	`org_id` text,
	`consecutive_failures` integer DEFAULT 0 NOT NULL,
	`quarantined_at` integer,
	`quarantine_reason` text,
	`released_at` integer,
	`released_by` text,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`job_id`, `scope`),
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`released_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);

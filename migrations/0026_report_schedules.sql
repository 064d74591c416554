CREATE TABLE `report_schedules` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`name` text NOT NULL,
	`report` text NOT NULL,
	`period` text NOT NULL,
	`weeks` integer NOT NULL,
	`frequency` text NOT NULL,
	`weekday` integer,
	`month_day` integer,
	`hour` integer NOT NULL,
	`recipient_ids` text NOT NULL,
	`formats` text NOT NULL,
	`enabled` integer NOT NULL,
	`last_slot` text,
	`send_requested_at` integer,
	`last_sent_at` integer,
	`last_result` text,
	`created_by` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `report_schedules_org_idx` ON `report_schedules` (`org_id`,`id`);
CREATE TABLE `invoice_day_totals` (
	`org_id` text NOT NULL,
	`day` text NOT NULL,
	`status` text NOT NULL,
	`currency` text NOT NULL,
	`invoices` integer NOT NULL,
	`total` integer NOT NULL,
	PRIMARY KEY(`org_id`, `day`, `status`, `currency`)
);
--> statement-breakpoint
CREATE TABLE `invoice_month_totals` (
	`org_id` text NOT NULL,
	`month` text NOT NULL,
	`status` text NOT NULL,
	`currency` text NOT NULL,
	`invoices` integer NOT NULL,
	`total` integer NOT NULL,
	PRIMARY KEY(`org_id`, `month`, `status`, `currency`)
);
--> statement-breakpoint
CREATE TABLE `project_task_counts` (
	`org_id` text NOT NULL,
	`project_id` text NOT NULL,
	`status` text NOT NULL,
	`tasks` integer NOT NULL,
	PRIMARY KEY(`org_id`, `project_id`, `status`)
);
--> statement-breakpoint
CREATE TABLE `task_completion_days` (
	`org_id` text NOT NULL,
	`day` integer NOT NULL,
	`tasks` integer NOT NULL,
	PRIMARY KEY(`org_id`, `day`)
);
--> statement-breakpoint
CREATE TABLE `time_day_totals` (
	`org_id` text NOT NULL,
	`day` text NOT NULL,
	`project_key` text NOT NULL,
	`user_id` text NOT NULL,
	`entries` integer NOT NULL,
	`minutes` integer NOT NULL,
	`billable_minutes` integer NOT NULL,
	PRIMARY KEY(`org_id`, `day`, `project_key`, `user_id`)
);
--> statement-breakpoint
CREATE TABLE `time_month_totals` (
	`org_id` text NOT NULL,
	`month` text NOT NULL,
	`project_key` text NOT NULL,
	`user_id` text NOT NULL,
	`entries` integer NOT NULL,
	`minutes` integer NOT NULL,
	`billable_minutes` integer NOT NULL,
	PRIMARY KEY(`org_id`, `month`, `project_key`, `user_id`)
);

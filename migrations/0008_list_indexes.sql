CREATE INDEX `approval_requests_org_id_idx` ON `approval_requests` (`org_id`,`id`);--> statement-breakpoint
CREATE INDEX `invoices_org_status_due_idx` ON `invoices` (`org_id`,`status`,`due_date`,`id`);--> statement-breakpoint
CREATE INDEX `time_entries_org_date_idx` ON `time_entries` (`org_id`,`date`,`id`);--> statement-breakpoint
CREATE INDEX `equipment_org_type_idx` ON `equipment` (`org_id`,`type`);--> statement-breakpoint
CREATE INDEX `equipment_org_location_idx` ON `equipment` (`org_id`,`location`);--> statement-breakpoint
CREATE INDEX `projects_org_id_idx` ON `projects` (`org_id`,`id`);--> statement-breakpoint
CREATE INDEX `tasks_org_project_status_idx` ON `tasks` (`org_id`,`project_id`,`status`);--> statement-breakpoint
CREATE INDEX `tasks_org_assignee_due_idx` ON `tasks` (`org_id`,`assignee_id`,`due_at`,`id`);
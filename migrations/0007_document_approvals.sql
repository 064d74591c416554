ALTER TABLE `documents` ADD `approval_status` text;--> statement-breakpoint
ALTER TABLE `documents` ADD `approval_request_id` text;
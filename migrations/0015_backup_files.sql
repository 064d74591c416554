CREATE TABLE `backup_files` (
	`replica` text NOT NULL,
	`sha256` text NOT NULL,
	`size_bytes` integer NOT NULL,
	`confirmed_at` integer NOT NULL,
	`gone_since` integer,
	PRIMARY KEY(`replica`, `sha256`)
);
--> statement-breakpoint
CREATE INDEX `backup_files_gone` ON `backup_files` (`gone_since`);
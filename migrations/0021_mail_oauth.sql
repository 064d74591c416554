CREATE TABLE `mail_oauth_grants` (
	`key` text PRIMARY KEY NOT NULL,
	`org_id` text,
	`provider` text NOT NULL,
	`tenant` text,
	`client_id` text NOT NULL,
	`client_secret_encrypted` text NOT NULL,
	`scopes` text NOT NULL,
	`account` text,
	`access_token_encrypted` text,
	`refresh_token_encrypted` text,
	`access_token_expires_at` integer,
	`state` text DEFAULT 'pending' NOT NULL,
	`last_error` text,
	`connected_at` integer,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);

CREATE TABLE `allowlist` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`value` text NOT NULL,
	`ip_start` text,
	`ip_end` text,
	`reason` text NOT NULL,
	`created_by` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `allowlist_kind_value` ON `allowlist` (`kind`,`value`);--> statement-breakpoint
CREATE INDEX `allowlist_ip` ON `allowlist` (`ip_start`);--> statement-breakpoint
CREATE TABLE `campaigns` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`created_by` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `campaigns_name_nocase` ON `campaigns` ("name" COLLATE NOCASE);--> statement-breakpoint
CREATE TABLE `generation` (
	`id` integer PRIMARY KEY NOT NULL,
	`value` integer DEFAULT 0 NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `ioc_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ioc_id` integer NOT NULL,
	`type` text NOT NULL,
	`value` text NOT NULL,
	`event` text NOT NULL,
	`actor_id` integer,
	`actor` text NOT NULL,
	`at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`diff` text
);
--> statement-breakpoint
CREATE INDEX `ioc_history_ioc` ON `ioc_history` (`ioc_id`,`id`);--> statement-breakpoint
CREATE INDEX `ioc_history_value` ON `ioc_history` (`type`,`value`);--> statement-breakpoint
CREATE INDEX `ioc_history_at` ON `ioc_history` (`at`);--> statement-breakpoint
CREATE TABLE `ioc_notes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`type` text NOT NULL,
	`value` text NOT NULL,
	`body` text NOT NULL,
	`author_id` integer,
	`author` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `ioc_notes_value` ON `ioc_notes` (`type`,`value`,`id`);--> statement-breakpoint
CREATE TABLE `ioc_tags` (
	`ioc_id` integer NOT NULL,
	`tag` text NOT NULL,
	FOREIGN KEY (`ioc_id`) REFERENCES `iocs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ioc_tags_tag_ioc` ON `ioc_tags` (`tag`,`ioc_id`);--> statement-breakpoint
CREATE INDEX `ioc_tags_ioc` ON `ioc_tags` (`ioc_id`);--> statement-breakpoint
CREATE TABLE `iocs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`type` text NOT NULL,
	`value` text NOT NULL,
	`host` text,
	`ip_start` text,
	`ip_end` text,
	`expires_at` text,
	`expiry_logged` integer DEFAULT false NOT NULL,
	`ticket` text NOT NULL,
	`comment` text DEFAULT '' NOT NULL,
	`campaign_id` integer,
	`tags` text DEFAULT '[]' NOT NULL,
	`confidence` integer DEFAULT 70 NOT NULL,
	`severity` text DEFAULT 'medium' NOT NULL,
	`source` text DEFAULT 'ui' NOT NULL,
	`created_by` integer NOT NULL,
	`updated_by` integer,
	`excluded_at` text,
	`excluded_by` integer,
	`exclude_reason` text,
	`allowlisted_by` integer,
	`deleted_at` text,
	`deleted_by` integer,
	`incarnation` integer DEFAULT 1 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`excluded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`deleted_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `iocs_live_type_value` ON `iocs` (`type`,`value`) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX `iocs_value` ON `iocs` (`value`);--> statement-breakpoint
CREATE INDEX `iocs_created_at` ON `iocs` (`created_at`);--> statement-breakpoint
CREATE INDEX `iocs_created_by` ON `iocs` (`created_by`,`created_at`);--> statement-breakpoint
CREATE INDEX `iocs_expires_at` ON `iocs` (`expires_at`);--> statement-breakpoint
CREATE INDEX `iocs_campaign` ON `iocs` (`campaign_id`);--> statement-breakpoint
CREATE INDEX `iocs_ticket` ON `iocs` (`ticket`);--> statement-breakpoint
CREATE INDEX `iocs_host` ON `iocs` (`host`);--> statement-breakpoint
CREATE INDEX `iocs_ip_start` ON `iocs` (`ip_start`);--> statement-breakpoint
CREATE INDEX `iocs_served` ON `iocs` (`type`,`value`) WHERE deleted_at IS NULL AND excluded_at IS NULL AND allowlisted_by IS NULL;--> statement-breakpoint
CREATE TABLE `warninglist_entries` (
	`list_id` integer NOT NULL,
	`value` text NOT NULL,
	`ip_start` text,
	`ip_end` text,
	FOREIGN KEY (`list_id`) REFERENCES `warninglists`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `warninglist_entries_value` ON `warninglist_entries` (`value`);--> statement-breakpoint
CREATE INDEX `warninglist_entries_ip` ON `warninglist_entries` (`ip_start`,`ip_end`);--> statement-breakpoint
CREATE INDEX `warninglist_entries_list` ON `warninglist_entries` (`list_id`);--> statement-breakpoint
CREATE TABLE `warninglists` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	`list_type` text NOT NULL,
	`entry_count` integer DEFAULT 0 NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`imported_by` integer,
	`imported_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`imported_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `warninglists_name_unique` ON `warninglists` (`name`);
CREATE TABLE `migration_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`batch_id` integer NOT NULL,
	`kind` text NOT NULL,
	`key` text NOT NULL,
	`data` text NOT NULL,
	`blob` blob,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`batch_id`) REFERENCES `import_batches`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `migration_items_batch` ON `migration_items` (`batch_id`,`kind`);--> statement-breakpoint
CREATE INDEX `migration_items_kind_key` ON `migration_items` (`kind`,`key`);--> statement-breakpoint
CREATE TABLE `playbook_links` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`type` text NOT NULL,
	`name` text NOT NULL,
	`url` text,
	`description` text DEFAULT '' NOT NULL,
	`examples` text DEFAULT '' NOT NULL,
	`tags` text DEFAULT '[]' NOT NULL,
	`essential` integer DEFAULT false NOT NULL,
	`dir` text,
	`parent_id` integer,
	`position` integer DEFAULT 0 NOT NULL,
	`source_key` text,
	`created_by` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `playbook_links_position` ON `playbook_links` (`parent_id`,`position`);--> statement-breakpoint
CREATE UNIQUE INDEX `playbook_links_source_key` ON `playbook_links` (`source_key`);
CREATE TABLE `import_batches` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source` text NOT NULL,
	`format` text NOT NULL,
	`filename` text,
	`status` text DEFAULT 'staged' NOT NULL,
	`row_count` integer DEFAULT 0 NOT NULL,
	`notes` text DEFAULT '[]' NOT NULL,
	`columns` text,
	`options` text DEFAULT '{}' NOT NULL,
	`result` text,
	`created_by` integer NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`committed_by` integer,
	`committed_at` text,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`committed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `import_batches_created` ON `import_batches` (`created_by`,`id`);--> statement-breakpoint
CREATE INDEX `import_batches_status` ON `import_batches` (`status`,`updated_at`);--> statement-breakpoint
CREATE TABLE `import_rows` (
	`batch_id` integer NOT NULL,
	`idx` integer NOT NULL,
	`line` integer NOT NULL,
	`raw` text NOT NULL,
	`type` text,
	`value` text,
	`host` text,
	`ip_start` text,
	`ip_end` text,
	`suffixes` text,
	`ticket` text,
	`comment` text,
	`campaign` text,
	`tags` text,
	`ttl` text,
	`expires_at` text,
	`created_at` text,
	`error` text,
	`warnings` text,
	`listed` text,
	`status` text DEFAULT 'new' NOT NULL,
	`dup_ioc_id` integer,
	`dup_of_line` integer,
	`allowlist_id` integer,
	`selected` integer DEFAULT true NOT NULL,
	`edited` integer DEFAULT false NOT NULL,
	`extra` text,
	PRIMARY KEY(`batch_id`, `idx`),
	FOREIGN KEY (`batch_id`) REFERENCES `import_batches`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `import_rows_value` ON `import_rows` (`batch_id`,`type`,`value`);--> statement-breakpoint
CREATE INDEX `import_rows_status` ON `import_rows` (`batch_id`,`status`,`idx`);--> statement-breakpoint
ALTER TABLE `iocs` ADD `import_batch_id` integer;--> statement-breakpoint
CREATE INDEX `iocs_import_batch` ON `iocs` (`import_batch_id`) WHERE import_batch_id IS NOT NULL;
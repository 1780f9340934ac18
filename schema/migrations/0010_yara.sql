CREATE TABLE `yara_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`rule_id` integer NOT NULL,
	`event` text NOT NULL,
	`from_status` text,
	`to_status` text,
	`actor_id` integer,
	`actor` text NOT NULL,
	`at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`diff` text
);
--> statement-breakpoint
CREATE INDEX `yara_history_rule` ON `yara_history` (`rule_id`,`id`);--> statement-breakpoint
CREATE INDEX `yara_history_at` ON `yara_history` (`at`);--> statement-breakpoint
CREATE TABLE `yara_rules` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`filename` text NOT NULL,
	`content` text NOT NULL,
	`sha256` text NOT NULL,
	`size` integer NOT NULL,
	`rule_names` text NOT NULL,
	`rules` text NOT NULL,
	`imports` text DEFAULT '[]' NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`quality` integer NOT NULL,
	`quality_parts` text NOT NULL,
	`lint` text NOT NULL,
	`ticket` text DEFAULT '' NOT NULL,
	`comment` text DEFAULT '' NOT NULL,
	`campaign_id` integer,
	`tags` text DEFAULT '[]' NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_by` integer NOT NULL,
	`updated_by` integer,
	`reviewed_by` integer,
	`reviewed_at` text,
	`reject_reason` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`deleted_at` text,
	`deleted_by` integer,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reviewed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`deleted_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `yara_rules_live_filename` ON `yara_rules` ("filename" COLLATE NOCASE) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `yara_rules_live_sha256` ON `yara_rules` (`sha256`) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX `yara_rules_status` ON `yara_rules` (`status`,`filename`);--> statement-breakpoint
CREATE INDEX `yara_rules_created_by` ON `yara_rules` (`created_by`,`id`);--> statement-breakpoint
CREATE INDEX `yara_rules_campaign` ON `yara_rules` (`campaign_id`);
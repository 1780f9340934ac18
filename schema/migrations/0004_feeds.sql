CREATE TABLE `feed_alerts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`feed` text NOT NULL,
	`kind` text NOT NULL,
	`message` text NOT NULL,
	`from_entries` integer,
	`to_entries` integer,
	`at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`acknowledged_at` text
);
--> statement-breakpoint
CREATE INDEX `feed_alerts_at` ON `feed_alerts` (`at`);--> statement-breakpoint
CREATE TABLE `feed_consumers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`token_hash` text,
	`token_prefix` text,
	`previous_token_hash` text,
	`previous_token_until` text,
	`allowed_feeds` text DEFAULT '[]' NOT NULL,
	`allowed_sources` text DEFAULT '[]' NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`last_seen_at` text,
	`last_address` text,
	`last_feed` text,
	`last_status` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `feed_consumers_name_nocase` ON `feed_consumers` ("name" COLLATE NOCASE);--> statement-breakpoint
CREATE UNIQUE INDEX `feed_consumers_token` ON `feed_consumers` (`token_hash`);--> statement-breakpoint
CREATE INDEX `feed_consumers_prev_token` ON `feed_consumers` (`previous_token_hash`);--> statement-breakpoint
CREATE TABLE `feed_polls` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` text NOT NULL,
	`consumer_id` integer,
	`address` text NOT NULL,
	`feed` text NOT NULL,
	`status` integer NOT NULL,
	`count` integer DEFAULT 1 NOT NULL,
	`bytes` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `feed_polls_at` ON `feed_polls` (`at`);--> statement-breakpoint
CREATE INDEX `feed_polls_consumer` ON `feed_polls` (`consumer_id`,`at`);--> statement-breakpoint
CREATE TABLE `feed_state` (
	`feed` text PRIMARY KEY NOT NULL,
	`entries` integer NOT NULL,
	`bytes` integer NOT NULL,
	`dropped` integer DEFAULT 0 NOT NULL,
	`etag` text NOT NULL,
	`built_at` text NOT NULL,
	`build_ms` integer DEFAULT 0 NOT NULL
);

CREATE TABLE `misp_attributes` (
	`uuid` text NOT NULL,
	`ioc_type` text NOT NULL,
	`ioc_value` text NOT NULL,
	`event_uuid` text,
	`event_id` text,
	`misp_type` text NOT NULL,
	`attr_timestamp` integer NOT NULL,
	`first_seen_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`last_seen_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`withdrawn_at` text,
	`withdrawn_reason` text,
	`withdrawn_run` integer,
	PRIMARY KEY(`uuid`, `ioc_type`, `ioc_value`)
);
--> statement-breakpoint
CREATE INDEX `misp_attributes_ioc` ON `misp_attributes` (`ioc_type`,`ioc_value`);--> statement-breakpoint
CREATE INDEX `misp_attributes_withdrawn_run` ON `misp_attributes` (`withdrawn_run`) WHERE withdrawn_run IS NOT NULL;--> statement-breakpoint
CREATE TABLE `misp_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`trigger` text NOT NULL,
	`actor` text NOT NULL,
	`actor_id` integer,
	`status` text DEFAULT 'running' NOT NULL,
	`full` integer DEFAULT false NOT NULL,
	`started_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`finished_at` text,
	`error` text,
	`result` text,
	`batch_id` integer,
	`held_batch_id` integer
);
--> statement-breakpoint
CREATE INDEX `misp_runs_started` ON `misp_runs` (`started_at`);--> statement-breakpoint
CREATE TABLE `misp_sync_state` (
	`id` integer PRIMARY KEY NOT NULL,
	`cursor` integer,
	`lease_token` text,
	`lease_until` text,
	`last_attempt_at` text,
	`last_success_at` text,
	`last_status` text,
	`last_error` text,
	`last_reconcile_at` text,
	`next_reconcile_at` text,
	`last_run_id` integer
);
--> statement-breakpoint
-- Hand-written: the one state row the pull's lease, cursor and status live in.
INSERT OR IGNORE INTO `misp_sync_state` (`id`) VALUES (1);

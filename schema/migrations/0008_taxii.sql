CREATE TABLE `stix_sync` (
	`round` integer PRIMARY KEY NOT NULL,
	`history_id` integer NOT NULL,
	`ioc_id` integer NOT NULL,
	`at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `stix_versions` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`date_added` text NOT NULL,
	`stix_id` text NOT NULL,
	`kind` text NOT NULL,
	`source` text NOT NULL,
	`source_id` integer NOT NULL,
	`created` text NOT NULL,
	`modified` text NOT NULL,
	`revoked` integer DEFAULT false NOT NULL,
	`latest` integer DEFAULT true NOT NULL,
	`valid_until` text,
	`data` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `stix_versions_added` ON `stix_versions` (`date_added`);--> statement-breakpoint
CREATE INDEX `stix_versions_kind_added` ON `stix_versions` (`kind`,`date_added`);--> statement-breakpoint
CREATE INDEX `stix_versions_latest_kind` ON `stix_versions` (`kind`,`date_added`) WHERE latest = 1;--> statement-breakpoint
CREATE INDEX `stix_versions_latest_added` ON `stix_versions` (`date_added`) WHERE latest = 1;--> statement-breakpoint
CREATE INDEX `stix_versions_object` ON `stix_versions` (`stix_id`,`date_added`);--> statement-breakpoint
CREATE INDEX `stix_versions_source` ON `stix_versions` (`source`,`source_id`) WHERE latest = 1;--> statement-breakpoint
CREATE INDEX `stix_versions_due` ON `stix_versions` (`valid_until`) WHERE latest = 1 AND revoked = 0 AND valid_until IS NOT NULL;
DROP INDEX `iocs_served`;--> statement-breakpoint
CREATE INDEX `iocs_served_feed` ON `iocs` (`type`,`value`,`expires_at`) WHERE deleted_at IS NULL AND excluded_at IS NULL AND allowlisted_by IS NULL;
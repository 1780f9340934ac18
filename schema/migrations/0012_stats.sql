CREATE TABLE `activity_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`kind` text NOT NULL,
	`user_id` integer,
	`payload` text NOT NULL,
	`dedupe_key` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `activity_events_dedupe_key_unique` ON `activity_events` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `activity_events_at` ON `activity_events` (`at`);--> statement-breakpoint
CREATE TABLE `champs_rank_snapshots` (
	`user_id` integer NOT NULL,
	`date` text NOT NULL,
	`rank` integer NOT NULL,
	`score` integer NOT NULL,
	PRIMARY KEY(`user_id`, `date`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `champs_rank_snapshots_date` ON `champs_rank_snapshots` (`date`);--> statement-breakpoint
CREATE TABLE `stats_firsts` (
	`dim` text NOT NULL,
	`key` text NOT NULL,
	`ioc_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`at` text NOT NULL,
	PRIMARY KEY(`dim`, `key`)
);
--> statement-breakpoint
CREATE INDEX `stats_firsts_user` ON `stats_firsts` (`user_id`,`at`);--> statement-breakpoint
CREATE INDEX `stats_firsts_at` ON `stats_firsts` (`at`);--> statement-breakpoint
CREATE TABLE `stats_rollup` (
	`dim` text NOT NULL,
	`key` text NOT NULL,
	`n` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`dim`, `key`)
);
--> statement-breakpoint
CREATE INDEX `stats_rollup_top` ON `stats_rollup` (`dim`,`n`);--> statement-breakpoint
CREATE TABLE `team_goals` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`title` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`target_value` integer NOT NULL,
	`unit` text DEFAULT '' NOT NULL,
	`goal_type` text NOT NULL,
	`period` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_by` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `team_goals_active` ON `team_goals` (`active`,`id`);--> statement-breakpoint
ALTER TABLE `iocs` ADD `country` text;--> statement-breakpoint
CREATE INDEX `iocs_country_pending` ON `iocs` (`id`) WHERE country IS NULL AND type = 'ip' AND deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX `iocs_unswept_expiry` ON `iocs` (`expires_at`) WHERE expiry_logged = 0 AND deleted_at IS NULL AND expires_at IS NOT NULL;--> statement-breakpoint
CREATE INDEX `ioc_history_event_at` ON `ioc_history` (`event`,`at`);--> statement-breakpoint
-- Hand-written (schema/stats-triggers.sql): roll-up triggers and the initial roll-up. Re-append after regenerating.
-- One trigger per dimension, each guarded by the IOC types it concerns, so a row runs only the statements it needs.
CREATE TRIGGER `stats_iocs_insert_type` AFTER INSERT ON `iocs` WHEN new.deleted_at IS NULL AND new.excluded_at IS NULL AND new.allowlisted_by IS NULL AND new.expiry_logged = 0 BEGIN
  INSERT INTO stats_rollup (dim, key, n) SELECT 'type', k, 1 FROM (SELECT new.type AS k) WHERE k IS NOT NULL
    ON CONFLICT (dim, key) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `stats_iocs_insert_country` AFTER INSERT ON `iocs` WHEN new.type IN ('ip') BEGIN
  INSERT INTO stats_rollup (dim, key, n) SELECT 'country', k, 1 FROM (SELECT CASE WHEN new.type = 'ip' THEN nullif(new.country, '') END AS k) WHERE k IS NOT NULL AND new.deleted_at IS NULL AND new.excluded_at IS NULL AND new.allowlisted_by IS NULL AND new.expiry_logged = 0
    ON CONFLICT (dim, key) DO UPDATE SET n = n + 1;
  INSERT OR IGNORE INTO stats_firsts (dim, key, ioc_id, user_id, at) SELECT 'country', k, new.id, new.created_by, new.created_at FROM (SELECT CASE WHEN new.type = 'ip' THEN nullif(new.country, '') END AS k) WHERE k IS NOT NULL;
END;
--> statement-breakpoint
CREATE TRIGGER `stats_iocs_insert_tld` AFTER INSERT ON `iocs` WHEN new.type IN ('domain', 'url') BEGIN
  INSERT INTO stats_rollup (dim, key, n) SELECT 'tld', k, 1 FROM (SELECT CASE WHEN new.type IN ('domain', 'url') AND new.host IS NOT NULL AND new.ip_start IS NULL THEN lower(substr(new.host, length(rtrim(new.host, replace(new.host, '.', ''))) + 1)) END AS k) WHERE k IS NOT NULL AND new.deleted_at IS NULL AND new.excluded_at IS NULL AND new.allowlisted_by IS NULL AND new.expiry_logged = 0
    ON CONFLICT (dim, key) DO UPDATE SET n = n + 1;
  INSERT OR IGNORE INTO stats_firsts (dim, key, ioc_id, user_id, at) SELECT 'tld', k, new.id, new.created_by, new.created_at FROM (SELECT CASE WHEN new.type IN ('domain', 'url') AND new.host IS NOT NULL AND new.ip_start IS NULL THEN lower(substr(new.host, length(rtrim(new.host, replace(new.host, '.', ''))) + 1)) END AS k) WHERE k IS NOT NULL;
END;
--> statement-breakpoint
CREATE TRIGGER `stats_iocs_insert_email_domain` AFTER INSERT ON `iocs` WHEN new.type IN ('email') BEGIN
  INSERT INTO stats_rollup (dim, key, n) SELECT 'email_domain', k, 1 FROM (SELECT CASE WHEN new.type = 'email' THEN new.host END AS k) WHERE k IS NOT NULL AND new.deleted_at IS NULL AND new.excluded_at IS NULL AND new.allowlisted_by IS NULL AND new.expiry_logged = 0
    ON CONFLICT (dim, key) DO UPDATE SET n = n + 1;
  INSERT OR IGNORE INTO stats_firsts (dim, key, ioc_id, user_id, at) SELECT 'email_domain', k, new.id, new.created_by, new.created_at FROM (SELECT CASE WHEN new.type = 'email' THEN new.host END AS k) WHERE k IS NOT NULL;
END;
--> statement-breakpoint
CREATE TRIGGER `stats_iocs_update` AFTER UPDATE OF deleted_at, excluded_at, allowlisted_by, expiry_logged, country, type, host, ip_start ON `iocs`
  WHEN (old.deleted_at IS NULL AND old.excluded_at IS NULL AND old.allowlisted_by IS NULL AND old.expiry_logged = 0) IS NOT (new.deleted_at IS NULL AND new.excluded_at IS NULL AND new.allowlisted_by IS NULL AND new.expiry_logged = 0) OR old.country IS NOT new.country OR old.type IS NOT new.type OR old.host IS NOT new.host OR old.ip_start IS NOT new.ip_start BEGIN
  UPDATE stats_rollup SET n = n - 1 WHERE dim = 'type' AND key = old.type AND (old.deleted_at IS NULL AND old.excluded_at IS NULL AND old.allowlisted_by IS NULL AND old.expiry_logged = 0);
  UPDATE stats_rollup SET n = n - 1 WHERE dim = 'country' AND key = CASE WHEN old.type = 'ip' THEN nullif(old.country, '') END AND (old.deleted_at IS NULL AND old.excluded_at IS NULL AND old.allowlisted_by IS NULL AND old.expiry_logged = 0);
  UPDATE stats_rollup SET n = n - 1 WHERE dim = 'tld' AND key = CASE WHEN old.type IN ('domain', 'url') AND old.host IS NOT NULL AND old.ip_start IS NULL THEN lower(substr(old.host, length(rtrim(old.host, replace(old.host, '.', ''))) + 1)) END AND (old.deleted_at IS NULL AND old.excluded_at IS NULL AND old.allowlisted_by IS NULL AND old.expiry_logged = 0);
  UPDATE stats_rollup SET n = n - 1 WHERE dim = 'email_domain' AND key = CASE WHEN old.type = 'email' THEN old.host END AND (old.deleted_at IS NULL AND old.excluded_at IS NULL AND old.allowlisted_by IS NULL AND old.expiry_logged = 0);
  INSERT INTO stats_rollup (dim, key, n) SELECT 'type', k, 1 FROM (SELECT new.type AS k) WHERE k IS NOT NULL AND new.deleted_at IS NULL AND new.excluded_at IS NULL AND new.allowlisted_by IS NULL AND new.expiry_logged = 0
    ON CONFLICT (dim, key) DO UPDATE SET n = n + 1;
  INSERT INTO stats_rollup (dim, key, n) SELECT 'country', k, 1 FROM (SELECT CASE WHEN new.type = 'ip' THEN nullif(new.country, '') END AS k) WHERE k IS NOT NULL AND new.deleted_at IS NULL AND new.excluded_at IS NULL AND new.allowlisted_by IS NULL AND new.expiry_logged = 0
    ON CONFLICT (dim, key) DO UPDATE SET n = n + 1;
  INSERT INTO stats_rollup (dim, key, n) SELECT 'tld', k, 1 FROM (SELECT CASE WHEN new.type IN ('domain', 'url') AND new.host IS NOT NULL AND new.ip_start IS NULL THEN lower(substr(new.host, length(rtrim(new.host, replace(new.host, '.', ''))) + 1)) END AS k) WHERE k IS NOT NULL AND new.deleted_at IS NULL AND new.excluded_at IS NULL AND new.allowlisted_by IS NULL AND new.expiry_logged = 0
    ON CONFLICT (dim, key) DO UPDATE SET n = n + 1;
  INSERT INTO stats_rollup (dim, key, n) SELECT 'email_domain', k, 1 FROM (SELECT CASE WHEN new.type = 'email' THEN new.host END AS k) WHERE k IS NOT NULL AND new.deleted_at IS NULL AND new.excluded_at IS NULL AND new.allowlisted_by IS NULL AND new.expiry_logged = 0
    ON CONFLICT (dim, key) DO UPDATE SET n = n + 1;
  INSERT OR IGNORE INTO stats_firsts (dim, key, ioc_id, user_id, at) SELECT 'country', k, new.id, new.created_by, new.created_at FROM (SELECT CASE WHEN new.type = 'ip' THEN nullif(new.country, '') END AS k) WHERE k IS NOT NULL AND old.country IS NOT new.country;
END;
--> statement-breakpoint
CREATE TRIGGER `stats_iocs_delete` AFTER DELETE ON `iocs` WHEN old.deleted_at IS NULL AND old.excluded_at IS NULL AND old.allowlisted_by IS NULL AND old.expiry_logged = 0 BEGIN
  UPDATE stats_rollup SET n = n - 1 WHERE dim = 'type' AND key = old.type;
  UPDATE stats_rollup SET n = n - 1 WHERE dim = 'country' AND key = CASE WHEN old.type = 'ip' THEN nullif(old.country, '') END;
  UPDATE stats_rollup SET n = n - 1 WHERE dim = 'tld' AND key = CASE WHEN old.type IN ('domain', 'url') AND old.host IS NOT NULL AND old.ip_start IS NULL THEN lower(substr(old.host, length(rtrim(old.host, replace(old.host, '.', ''))) + 1)) END;
  UPDATE stats_rollup SET n = n - 1 WHERE dim = 'email_domain' AND key = CASE WHEN old.type = 'email' THEN old.host END;
END;
--> statement-breakpoint
INSERT INTO stats_rollup (dim, key, n) SELECT 'type', k, count(*) FROM (SELECT iocs.type AS k FROM iocs WHERE iocs.deleted_at IS NULL AND iocs.excluded_at IS NULL AND iocs.allowlisted_by IS NULL AND iocs.expiry_logged = 0) WHERE k IS NOT NULL GROUP BY k;
--> statement-breakpoint
INSERT INTO stats_rollup (dim, key, n) SELECT 'country', k, count(*) FROM (SELECT CASE WHEN iocs.type = 'ip' THEN nullif(iocs.country, '') END AS k FROM iocs WHERE iocs.deleted_at IS NULL AND iocs.excluded_at IS NULL AND iocs.allowlisted_by IS NULL AND iocs.expiry_logged = 0) WHERE k IS NOT NULL GROUP BY k;
--> statement-breakpoint
INSERT INTO stats_rollup (dim, key, n) SELECT 'tld', k, count(*) FROM (SELECT CASE WHEN iocs.type IN ('domain', 'url') AND iocs.host IS NOT NULL AND iocs.ip_start IS NULL THEN lower(substr(iocs.host, length(rtrim(iocs.host, replace(iocs.host, '.', ''))) + 1)) END AS k FROM iocs WHERE iocs.deleted_at IS NULL AND iocs.excluded_at IS NULL AND iocs.allowlisted_by IS NULL AND iocs.expiry_logged = 0) WHERE k IS NOT NULL GROUP BY k;
--> statement-breakpoint
INSERT INTO stats_rollup (dim, key, n) SELECT 'email_domain', k, count(*) FROM (SELECT CASE WHEN iocs.type = 'email' THEN iocs.host END AS k FROM iocs WHERE iocs.deleted_at IS NULL AND iocs.excluded_at IS NULL AND iocs.allowlisted_by IS NULL AND iocs.expiry_logged = 0) WHERE k IS NOT NULL GROUP BY k;
--> statement-breakpoint
INSERT OR IGNORE INTO stats_firsts (dim, key, ioc_id, user_id, at) SELECT 'country', k, id, created_by, created_at FROM (SELECT CASE WHEN iocs.type = 'ip' THEN nullif(iocs.country, '') END AS k, id, created_by, created_at FROM iocs) WHERE k IS NOT NULL ORDER BY id;
--> statement-breakpoint
INSERT OR IGNORE INTO stats_firsts (dim, key, ioc_id, user_id, at) SELECT 'tld', k, id, created_by, created_at FROM (SELECT CASE WHEN iocs.type IN ('domain', 'url') AND iocs.host IS NOT NULL AND iocs.ip_start IS NULL THEN lower(substr(iocs.host, length(rtrim(iocs.host, replace(iocs.host, '.', ''))) + 1)) END AS k, id, created_by, created_at FROM iocs) WHERE k IS NOT NULL ORDER BY id;
--> statement-breakpoint
INSERT OR IGNORE INTO stats_firsts (dim, key, ioc_id, user_id, at) SELECT 'email_domain', k, id, created_by, created_at FROM (SELECT CASE WHEN iocs.type = 'email' THEN iocs.host END AS k, id, created_by, created_at FROM iocs) WHERE k IS NOT NULL ORDER BY id;

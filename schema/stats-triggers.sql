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

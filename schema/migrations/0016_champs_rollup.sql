CREATE TABLE `champs_ioc_groups` (
	`user_id` integer NOT NULL,
	`at` text NOT NULL,
	`type` text NOT NULL,
	`campaign` integer NOT NULL,
	`comment` text NOT NULL,
	`ticket` text NOT NULL,
	`tags` integer NOT NULL,
	`expires` integer NOT NULL,
	`bulk` integer NOT NULL,
	`penalized` integer NOT NULL,
	`n` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`user_id`, `at`, `type`, `campaign`, `comment`, `ticket`, `tags`, `expires`, `bulk`, `penalized`)
);

--> statement-breakpoint
-- Hand-written (schema/champs-rollup-triggers.sql): the Champs IOC roll-up (schema/champs-rollup.ts), kept by triggers. Re-append after regenerating.
CREATE TRIGGER `champs_iocs_insert` AFTER INSERT ON `iocs` BEGIN
  INSERT INTO champs_ioc_groups (user_id, at, type, campaign, comment, ticket, tags, expires, bulk, penalized, n) VALUES (new.created_by, new.created_at, new.type, (new.campaign_id IS NOT NULL), new.comment, new.ticket, coalesce(json_array_length(new.tags), 0), (new.expires_at IS NOT NULL), (new.source <> 'ui'), coalesce(new.deleted_at IS NOT NULL AND julianday(new.deleted_at) - julianday(new.created_at) < 7 AND (new.allowlisted_by IS NOT NULL OR new.severity = 'critical'), 0), 1)
    ON CONFLICT (user_id, at, type, campaign, comment, ticket, tags, expires, bulk, penalized) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `champs_iocs_update` AFTER UPDATE OF created_by, created_at, type, campaign_id, comment, ticket, tags, expires_at, source, deleted_at, allowlisted_by, severity ON `iocs`
  WHEN old.created_by IS NOT new.created_by OR old.created_at IS NOT new.created_at OR old.type IS NOT new.type OR (old.campaign_id IS NOT NULL) IS NOT (new.campaign_id IS NOT NULL) OR old.comment IS NOT new.comment OR old.ticket IS NOT new.ticket OR coalesce(json_array_length(old.tags), 0) IS NOT coalesce(json_array_length(new.tags), 0) OR (old.expires_at IS NOT NULL) IS NOT (new.expires_at IS NOT NULL) OR (old.source <> 'ui') IS NOT (new.source <> 'ui') OR coalesce(old.deleted_at IS NOT NULL AND julianday(old.deleted_at) - julianday(old.created_at) < 7 AND (old.allowlisted_by IS NOT NULL OR old.severity = 'critical'), 0) IS NOT coalesce(new.deleted_at IS NOT NULL AND julianday(new.deleted_at) - julianday(new.created_at) < 7 AND (new.allowlisted_by IS NOT NULL OR new.severity = 'critical'), 0) BEGIN
  UPDATE champs_ioc_groups SET n = n - 1 WHERE user_id = old.created_by AND at = old.created_at AND type = old.type AND campaign = (old.campaign_id IS NOT NULL) AND comment = old.comment AND ticket = old.ticket AND tags = coalesce(json_array_length(old.tags), 0) AND expires = (old.expires_at IS NOT NULL) AND bulk = (old.source <> 'ui') AND penalized = coalesce(old.deleted_at IS NOT NULL AND julianday(old.deleted_at) - julianday(old.created_at) < 7 AND (old.allowlisted_by IS NOT NULL OR old.severity = 'critical'), 0);
  INSERT INTO champs_ioc_groups (user_id, at, type, campaign, comment, ticket, tags, expires, bulk, penalized, n) VALUES (new.created_by, new.created_at, new.type, (new.campaign_id IS NOT NULL), new.comment, new.ticket, coalesce(json_array_length(new.tags), 0), (new.expires_at IS NOT NULL), (new.source <> 'ui'), coalesce(new.deleted_at IS NOT NULL AND julianday(new.deleted_at) - julianday(new.created_at) < 7 AND (new.allowlisted_by IS NOT NULL OR new.severity = 'critical'), 0), 1)
    ON CONFLICT (user_id, at, type, campaign, comment, ticket, tags, expires, bulk, penalized) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `champs_iocs_delete` AFTER DELETE ON `iocs` BEGIN
  UPDATE champs_ioc_groups SET n = n - 1 WHERE user_id = old.created_by AND at = old.created_at AND type = old.type AND campaign = (old.campaign_id IS NOT NULL) AND comment = old.comment AND ticket = old.ticket AND tags = coalesce(json_array_length(old.tags), 0) AND expires = (old.expires_at IS NOT NULL) AND bulk = (old.source <> 'ui') AND penalized = coalesce(old.deleted_at IS NOT NULL AND julianday(old.deleted_at) - julianday(old.created_at) < 7 AND (old.allowlisted_by IS NOT NULL OR old.severity = 'critical'), 0);
END;
--> statement-breakpoint
INSERT INTO champs_ioc_groups (user_id, at, type, campaign, comment, ticket, tags, expires, bulk, penalized, n) SELECT iocs.created_by, iocs.created_at, iocs.type, (iocs.campaign_id IS NOT NULL), iocs.comment, iocs.ticket, coalesce(json_array_length(iocs.tags), 0), (iocs.expires_at IS NOT NULL), (iocs.source <> 'ui'), coalesce(iocs.deleted_at IS NOT NULL AND julianday(iocs.deleted_at) - julianday(iocs.created_at) < 7 AND (iocs.allowlisted_by IS NOT NULL OR iocs.severity = 'critical'), 0), count(*) FROM iocs GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;

-- Hand-written (schema/pulse-triggers.sql): Feed Pulse roll-up triggers and the initial roll-up. Re-append after regenerating.
CREATE TRIGGER `pulse_iocs_insert` AFTER INSERT ON `iocs` BEGIN
  INSERT INTO pulse_hourly (hour, event, type, source, n) VALUES (substr(new.created_at, 1, 13), 'in', new.type, new.source, 1)
    ON CONFLICT (hour, event, type, source) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `pulse_history_out` AFTER INSERT ON `ioc_history` WHEN new.event IN ('deleted', 'expired') BEGIN
  INSERT INTO pulse_hourly (hour, event, type, source, n) VALUES (substr(new.at, 1, 13), new.event, new.type, '', 1)
    ON CONFLICT (hour, event, type, source) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `pulse_feed_state_insert` AFTER INSERT ON `feed_state` BEGIN
  INSERT INTO feed_size_history (feed, hour, entries, bytes, at) VALUES (new.feed, substr(new.built_at, 1, 13), new.entries, new.bytes, new.built_at)
    ON CONFLICT (feed, hour) DO UPDATE SET entries = excluded.entries, bytes = excluded.bytes, at = excluded.at;
END;
--> statement-breakpoint
CREATE TRIGGER `pulse_feed_state_update` AFTER UPDATE ON `feed_state` BEGIN
  INSERT INTO feed_size_history (feed, hour, entries, bytes, at) VALUES (new.feed, substr(new.built_at, 1, 13), new.entries, new.bytes, new.built_at)
    ON CONFLICT (feed, hour) DO UPDATE SET entries = excluded.entries, bytes = excluded.bytes, at = excluded.at;
END;
--> statement-breakpoint
INSERT INTO pulse_hourly (hour, event, type, source, n) SELECT substr(created_at, 1, 13), 'in', type, source, count(*) FROM iocs GROUP BY 1, 3, 4;
--> statement-breakpoint
INSERT INTO pulse_hourly (hour, event, type, source, n) SELECT substr(at, 1, 13), event, type, '', count(*) FROM ioc_history WHERE event IN ('deleted', 'expired') GROUP BY 1, 2, 3;
--> statement-breakpoint
INSERT INTO feed_size_history (feed, hour, entries, bytes, at) SELECT feed, substr(built_at, 1, 13), entries, bytes, built_at FROM feed_state;
--> statement-breakpoint
CREATE INDEX `pulse_iocs_excluded` ON `iocs` (`excluded_at`) WHERE excluded_at IS NOT NULL AND deleted_at IS NULL;

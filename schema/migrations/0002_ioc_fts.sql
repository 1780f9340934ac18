-- Substring search over IOC values: an FTS5 trigram index kept in step with iocs by triggers.
CREATE VIRTUAL TABLE `ioc_fts` USING fts5(value, content='iocs', content_rowid='id', tokenize='trigram');
--> statement-breakpoint
CREATE TRIGGER `iocs_fts_insert` AFTER INSERT ON `iocs` BEGIN
  INSERT INTO ioc_fts(rowid, value) VALUES (new.id, new.value);
END;
--> statement-breakpoint
CREATE TRIGGER `iocs_fts_delete` AFTER DELETE ON `iocs` BEGIN
  INSERT INTO ioc_fts(ioc_fts, rowid, value) VALUES ('delete', old.id, old.value);
END;
--> statement-breakpoint
CREATE TRIGGER `iocs_fts_update` AFTER UPDATE OF value ON `iocs` BEGIN
  INSERT INTO ioc_fts(ioc_fts, rowid, value) VALUES ('delete', old.id, old.value);
  INSERT INTO ioc_fts(rowid, value) VALUES (new.id, new.value);
END;
--> statement-breakpoint
INSERT INTO `generation` (id, value) VALUES (1, 0);

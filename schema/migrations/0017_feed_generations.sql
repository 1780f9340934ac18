-- Finer feed cache counters (functions/repos/generation.ts): 2 = shared, 10-16 = one per IOC type, 20 = YARA.
-- They start at row 1's value, like every counter they stand beside.
INSERT OR IGNORE INTO `generation` (id, value) SELECT j.value, coalesce((SELECT value FROM `generation` WHERE id = 1), 0) FROM json_each('[2,10,11,12,13,14,15,16,20]') AS j;

-- `raw-bulk-log` moves the head by a statement of its own, once a batch, as the store does: the
-- trigger moves it only for `raw-seq-log`'s rows (schema version 1), not for every row of a batch
-- (schema version 2).
DROP TRIGGER bench_raw_log_moves_head;
CREATE TRIGGER bench_raw_log_moves_head AFTER INSERT ON bench_raw_log
WHEN NEW.schema_version = 1
BEGIN
    UPDATE bench_raw_log_head
    SET position = NEW.position, hash = NEW.hash, recorded_at = NEW.recorded_at
    WHERE id = 1;
END;

-- Issue 24: a deploy may be a rollback; rollback frequency sits beside the
-- change failure rate. Existing deploys were recorded before anyone could
-- say so: they read as not rollbacks, every other byte kept.
ALTER TABLE deploys ADD COLUMN rollback INTEGER NOT NULL DEFAULT 0 CHECK (rollback IN (0, 1));

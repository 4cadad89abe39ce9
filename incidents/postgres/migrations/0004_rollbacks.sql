-- Issue 24: a deploy may be a rollback; rollback frequency sits beside the
-- change failure rate. Existing deploys were recorded before anyone could
-- say so: they read as not rollbacks, every other value kept (a constant
-- default rewrites no row, so the append-only triggers are not involved).
ALTER TABLE deploys ADD COLUMN rollback BOOLEAN NOT NULL DEFAULT FALSE;

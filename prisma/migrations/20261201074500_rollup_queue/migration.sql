-- Issue 10: rollups leave the request path. The ingest statement enqueues what it inserted in
-- rollup_queue and the aggregator (lib/rollups) drains it into every rollup. Issue 11 item 6:
-- rollup cost columns lose their numeric(20,6) limit (relaxing a numeric's precision rewrites
-- no rows). Existing rollups are complete: the queue starts empty, nothing to backfill.
-- No semicolon may appear inside a statement or a comment here (the adapters split on them).

-- AlterTable
ALTER TABLE "daily_team_totals" ALTER COLUMN "cost_usd" SET DATA TYPE DECIMAL;

-- AlterTable
ALTER TABLE "daily_team_usage" ALTER COLUMN "cost_usd" SET DATA TYPE DECIMAL;

-- AlterTable
ALTER TABLE "daily_usage" ALTER COLUMN "cost_usd" SET DATA TYPE DECIMAL;

-- CreateTable
CREATE TABLE "rollup_queue" (
    "id" BIGSERIAL NOT NULL,
    "enqueued_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "day" DATE NOT NULL,
    "team_id" INTEGER NOT NULL,
    "person_id" INTEGER NOT NULL DEFAULT 0,
    "tool_id" INTEGER NOT NULL,
    "model" TEXT NOT NULL DEFAULT '',
    "events" BIGINT NOT NULL DEFAULT 0,
    "invocations" BIGINT NOT NULL DEFAULT 0,
    "input_tokens" BIGINT NOT NULL DEFAULT 0,
    "output_tokens" BIGINT NOT NULL DEFAULT 0,
    "cache_read_tokens" BIGINT NOT NULL DEFAULT 0,
    "cache_write_tokens" BIGINT NOT NULL DEFAULT 0,
    "cost_usd" DECIMAL NOT NULL DEFAULT 0,
    "lines_added" BIGINT NOT NULL DEFAULT 0,
    "lines_removed" BIGINT NOT NULL DEFAULT 0,
    "commits" BIGINT NOT NULL DEFAULT 0,
    "pull_requests" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "rollup_queue_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "rollup_queue_day_idx" ON "rollup_queue"("day");

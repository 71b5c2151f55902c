-- CreateTable
CREATE TABLE "daily_team_usage" (
    "day" DATE NOT NULL,
    "team_id" INTEGER NOT NULL,
    "tool_id" INTEGER NOT NULL,
    "model" TEXT NOT NULL DEFAULT '',
    "events" BIGINT NOT NULL DEFAULT 0,
    "invocations" BIGINT NOT NULL DEFAULT 0,
    "input_tokens" BIGINT NOT NULL DEFAULT 0,
    "output_tokens" BIGINT NOT NULL DEFAULT 0,
    "cache_read_tokens" BIGINT NOT NULL DEFAULT 0,
    "cache_write_tokens" BIGINT NOT NULL DEFAULT 0,
    "cost_usd" DECIMAL(20,6) NOT NULL DEFAULT 0,
    "lines_added" BIGINT NOT NULL DEFAULT 0,
    "lines_removed" BIGINT NOT NULL DEFAULT 0,
    "commits" BIGINT NOT NULL DEFAULT 0,
    "pull_requests" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "daily_team_usage_pkey" PRIMARY KEY ("day","team_id","tool_id","model")
);

-- CreateTable
CREATE TABLE "daily_team_totals" (
    "day" DATE NOT NULL,
    "team_id" INTEGER NOT NULL,
    "events" BIGINT NOT NULL DEFAULT 0,
    "invocations" BIGINT NOT NULL DEFAULT 0,
    "input_tokens" BIGINT NOT NULL DEFAULT 0,
    "output_tokens" BIGINT NOT NULL DEFAULT 0,
    "cache_read_tokens" BIGINT NOT NULL DEFAULT 0,
    "cache_write_tokens" BIGINT NOT NULL DEFAULT 0,
    "cost_usd" DECIMAL(20,6) NOT NULL DEFAULT 0,
    "lines_added" BIGINT NOT NULL DEFAULT 0,
    "lines_removed" BIGINT NOT NULL DEFAULT 0,
    "commits" BIGINT NOT NULL DEFAULT 0,
    "pull_requests" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "daily_team_totals_pkey" PRIMARY KEY ("day","team_id")
);

-- CreateTable
CREATE TABLE "person_activity" (
    "month" DATE NOT NULL,
    "team_id" INTEGER NOT NULL,
    "person_id" INTEGER NOT NULL,
    "days" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "person_activity_pkey" PRIMARY KEY ("month","team_id","person_id")
);

-- CreateIndex
CREATE INDEX "daily_team_usage_team_id_day_idx" ON "daily_team_usage"("team_id", "day");

-- CreateIndex
CREATE INDEX "daily_team_totals_team_id_day_idx" ON "daily_team_totals"("team_id", "day");

-- CreateIndex
CREATE INDEX "person_activity_team_id_month_idx" ON "person_activity"("team_id", "month");
-- Both are maintained by the ingest statement (lib/ingest/ingest.ts, insertEvents) from the
-- same aggregate it adds to daily_usage. No semicolon may appear inside a statement or a
-- comment here: the driver adapters split migration scripts on every one of them.

-- Databases that already hold usage get their coarse rollups from the fine one.
INSERT INTO daily_team_usage (day, team_id, tool_id, model, events, invocations, input_tokens, output_tokens,
  cache_read_tokens, cache_write_tokens, cost_usd, lines_added, lines_removed, commits, pull_requests)
SELECT day, team_id, tool_id, model, sum(events), sum(invocations), sum(input_tokens), sum(output_tokens),
  sum(cache_read_tokens), sum(cache_write_tokens), sum(cost_usd), sum(lines_added), sum(lines_removed), sum(commits), sum(pull_requests)
FROM daily_usage GROUP BY 1, 2, 3, 4;
INSERT INTO person_activity (month, team_id, person_id, days)
SELECT date_trunc('month', day)::date, team_id, person_id, bit_or(1 << (extract(day FROM day)::int - 1))
FROM daily_usage
WHERE person_id <> 0 AND (invocations > 0 OR input_tokens + output_tokens + cache_read_tokens + cache_write_tokens > 0)
GROUP BY 1, 2, 3;
INSERT INTO daily_team_totals (day, team_id, events, invocations, input_tokens, output_tokens,
  cache_read_tokens, cache_write_tokens, cost_usd, lines_added, lines_removed, commits, pull_requests)
SELECT day, team_id, sum(events), sum(invocations), sum(input_tokens), sum(output_tokens),
  sum(cache_read_tokens), sum(cache_write_tokens), sum(cost_usd), sum(lines_added), sum(lines_removed), sum(commits), sum(pull_requests)
FROM daily_usage GROUP BY 1, 2;

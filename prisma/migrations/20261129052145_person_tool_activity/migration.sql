-- CreateTable
CREATE TABLE "person_tool_activity" (
    "month" DATE NOT NULL,
    "team_id" INTEGER NOT NULL,
    "tool_id" INTEGER NOT NULL,
    "person_id" INTEGER NOT NULL,
    "days" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "person_tool_activity_pkey" PRIMARY KEY ("month","team_id","tool_id","person_id")
);

-- CreateIndex
CREATE INDEX "person_tool_activity_team_id_month_idx" ON "person_tool_activity"("team_id", "month");

-- Maintained by the ingest statement like person_activity. Usage already stored gets its rows here.
INSERT INTO person_tool_activity (month, team_id, tool_id, person_id, days)
SELECT date_trunc('month', day)::date, team_id, tool_id, person_id, bit_or(1 << (extract(day FROM day)::int - 1))
FROM daily_usage
WHERE person_id <> 0 AND (invocations > 0 OR input_tokens + output_tokens + cache_read_tokens + cache_write_tokens > 0)
GROUP BY 1, 2, 3, 4;

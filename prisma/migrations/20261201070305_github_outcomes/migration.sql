-- CreateTable
CREATE TABLE "github_deliveries" (
    "id" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "action" TEXT,
    "repo" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "summary" TEXT,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "payload" JSONB NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processed_at" TIMESTAMPTZ(3),

    CONSTRAINT "github_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "github_commits" (
    "repo" TEXT NOT NULL,
    "sha" TEXT NOT NULL,
    "committed_at" TIMESTAMPTZ(3) NOT NULL,
    "author_name" TEXT NOT NULL,
    "author_email" TEXT NOT NULL,
    "author_login" TEXT,
    "message" TEXT NOT NULL,
    "person_id" INTEGER,
    "team_id" INTEGER NOT NULL,
    "ai_tools" TEXT[],
    "signals" JSONB NOT NULL,
    "reverts_sha" TEXT,
    "source" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "github_commits_pkey" PRIMARY KEY ("repo","sha")
);

-- CreateTable
CREATE TABLE "github_pull_requests" (
    "repo" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "author_login" TEXT NOT NULL,
    "author_is_bot" BOOLEAN NOT NULL,
    "person_login" TEXT,
    "labels" TEXT[],
    "opened_at" TIMESTAMPTZ(3) NOT NULL,
    "merged_at" TIMESTAMPTZ(3),
    "merge_commit_sha" TEXT,
    "person_id" INTEGER,
    "team_id" INTEGER NOT NULL,
    "ai_tools" TEXT[],
    "signals" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "github_pull_requests_pkey" PRIMARY KEY ("repo","number")
);

-- CreateTable
CREATE TABLE "github_daily" (
    "day" DATE NOT NULL,
    "team_id" INTEGER NOT NULL,
    "tool_id" INTEGER NOT NULL DEFAULT 0,
    "commits" INTEGER NOT NULL DEFAULT 0,
    "ai_commits" INTEGER NOT NULL DEFAULT 0,
    "merged_prs" INTEGER NOT NULL DEFAULT 0,
    "ai_merged_prs" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "github_daily_pkey" PRIMARY KEY ("day","team_id","tool_id")
);

-- CreateIndex
CREATE INDEX "github_deliveries_status_received_at_idx" ON "github_deliveries"("status", "received_at");

-- CreateIndex
CREATE INDEX "github_deliveries_received_at_idx" ON "github_deliveries"("received_at");

-- CreateIndex
CREATE INDEX "github_commits_team_id_committed_at_idx" ON "github_commits"("team_id", "committed_at");

-- CreateIndex
CREATE INDEX "github_commits_committed_at_idx" ON "github_commits"("committed_at");

-- CreateIndex
CREATE INDEX "github_pull_requests_team_id_merged_at_idx" ON "github_pull_requests"("team_id", "merged_at");

-- CreateIndex
CREATE INDEX "github_pull_requests_merged_at_idx" ON "github_pull_requests"("merged_at");

-- CreateIndex
CREATE INDEX "github_daily_team_id_day_idx" ON "github_daily"("team_id", "day");

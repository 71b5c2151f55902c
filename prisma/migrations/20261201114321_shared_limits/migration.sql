-- Issue 10/11: state shared by every instance. rate_limit_buckets holds the token buckets of
-- the per-key ingest limit and the read/export limits (lib/http/shared-limiter.ts), leased in
-- batches. sign_in_failures holds the sign-in throttle per (account, address) and per address
-- (lib/auth/sign-in-throttle.ts). users.session_version ends sessions on sign-out, password
-- change, disabling and role changes (issue 11 item 9). No semicolon inside statements here.

-- AlterTable
ALTER TABLE "users" ADD COLUMN     "session_version" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "rate_limit_buckets" (
    "key" TEXT NOT NULL,
    "tokens" DOUBLE PRECISION NOT NULL,
    "granted" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "rate_limit_buckets_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "sign_in_failures" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "last_failure" TIMESTAMPTZ(6) NOT NULL,
    "blocked_until" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "sign_in_failures_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "rate_limit_buckets_updated_at_idx" ON "rate_limit_buckets"("updated_at");

-- CreateIndex
CREATE INDEX "sign_in_failures_last_failure_idx" ON "sign_in_failures"("last_failure");

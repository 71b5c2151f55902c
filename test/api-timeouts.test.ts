import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { post, SERVE_PATHS, startServer, type TestServer } from "@/test/helpers/http";
import { resetConfig } from "@/lib/config";
import { closeDb, db } from "@/lib/db/client";
import { toApiError } from "@/lib/http/errors";
import { createKey } from "@/lib/keys/api-keys";

// A database that is there but too slow for a request's limits: a statement timeout (57014)
// or a lock timeout (55P03) is "retry shortly" (503 + Retry-After), never a 500.

const STATEMENT_TIMEOUT_MS = 400;
const event = (id: string) => ({ id, timestamp: new Date(Date.now() - 60_000).toISOString(), tool: "codex", input_tokens: 5 });

describe.each(SERVE_PATHS)("%s", (servePath) => {
  let database: TestDatabase;
  let server: TestServer;
  let url: string;
  let key: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    await closeDb();
    process.env.DATABASE_STATEMENT_TIMEOUT_MS = String(STATEMENT_TIMEOUT_MS);
    resetConfig();
    server = await startServer({ DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS) }, servePath);
    url = `${server.url}/api/v1/events`;
    key = (await createKey({ name: "timeouts", scopes: ["ingest"], actor: "test" })).secret;
  });
  afterAll(async () => {
    await server?.stop();
    delete process.env.DATABASE_STATEMENT_TIMEOUT_MS;
    resetConfig();
    await database?.drop();
  });

  describe.skipIf(!process.env.WAKEBOARD_TEST_SERVER_URL)("timeouts", () => {
    it("answers 503 + Retry-After when the insert hits the statement timeout (57014), and stores the event once the table is free", async () => {
      expect((await post(url, event("before"), { key })).status).toBe(200); // tool created, pool warm
      // Another session holds the events table: the insert waits until the statement timeout.
      const blocker = new pg.Client({ connectionString: database.url });
      await blocker.connect();
      await blocker.query("BEGIN");
      await blocker.query("LOCK TABLE usage_events IN ACCESS EXCLUSIVE MODE");
      try {
        const a = await post(url, event("blocked"), { key });
        expect(a.status).toBe(503);
        expect(a.body.error.code).toBe("database_busy");
        expect(Number(a.headers.get("retry-after"))).toBeGreaterThan(0);
        expect(a.headers.get("x-request-id")).toBeTruthy();
      } finally {
        await blocker.query("ROLLBACK");
        await blocker.end();
      }
      const again = await post(url, event("blocked"), { key });
      expect(again.status).toBe(200);
      expect(again.body.accepted).toBe(1);
    });

    it.runIf(servePath === "next-route")("maps a lock timeout (55P03) from PostgreSQL to 503 + Retry-After", async () => {
      const prisma = await db();
      const holder = new pg.Client({ connectionString: database.url });
      await holder.connect();
      await holder.query("BEGIN");
      await holder.query("SELECT * FROM tools FOR UPDATE");
      try {
        const error = await prisma.$transaction(async (tx) => {
          await tx.$executeRaw`SET LOCAL lock_timeout = '50ms'`;
          await tx.$queryRaw`SELECT id FROM tools FOR UPDATE`;
        }).then(() => null, (e: unknown) => e);
        expect(error).not.toBeNull();
        const mapped = toApiError(error, "test");
        expect([mapped.status, mapped.code, mapped.headers?.["retry-after"]]).toEqual([503, "database_busy", "2"]);
      } finally {
        await holder.query("ROLLBACK");
        await holder.end();
      }
    });
  });
});

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase, serverUrl, type TestDatabase } from "@/test/helpers/database";
import { pgTool } from "@/test/helpers/pg-tools";
import { closeDb, db, withSchemaAdapter } from "@/lib/db/client";
import { resetConfig } from "@/lib/config";
import { applyMigrations } from "@/lib/db/migrate";
import { seedDemo } from "@/lib/seed/demo";
import { ingest } from "@/lib/ingest/ingest";
import { getLeaderboard } from "@/lib/queries/get-leaderboard";
import { getKpis } from "@/lib/queries/get-kpis";
import { resolvePeriod } from "@/lib/time/period";

// The backup procedures of docs/operations.md#backups, run as written: a seeded database is
// backed up and restored into a new one, and every figure is equal — every table's rows
// (count and a digest of their text), and what the pages show. A restored database also
// takes new events (its sequences were restored too).

interface Figures {
  tables: Record<string, { rows: number; digest: string }>;
  board: unknown;
  kpis: unknown;
}

async function figures(): Promise<Figures> {
  const prisma = await db();
  const rows = await prisma.$queryRaw<{ name: string; rows: string; digest: string }[]>`
    SELECT table_name AS name,
      (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I', table_name), false, true, '')))[1]::text AS rows,
      (xpath('/row/d/text()', query_to_xml(format('SELECT md5(coalesce(string_agg(t::text, %L ORDER BY t::text), %L)) AS d FROM %I t', '|', '', table_name), false, true, '')))[1]::text AS digest
    FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`;
  const period = resolvePeriod("30d", { tz: "UTC" });
  return {
    tables: Object.fromEntries(rows.map((r) => [r.name, { rows: Number(r.rows), digest: r.digest }])),
    board: await getLeaderboard({ period, metric: "tokens", view: "teams", unit: null }),
    kpis: await getKpis({ period }),
  };
}

async function seeded(days: number): Promise<Figures> {
  await seedDemo({ days, adminPassword: "backup-test-pw" });
  const f = await figures();
  expect(f.tables.usage_events.rows).toBeGreaterThan(300); // a real org, not an empty shell
  return f;
}

async function takesNewEvents() {
  const r = await ingest([{ id: `after-restore-${Date.now()}`, timestamp: new Date().toISOString(), tool: "codex", team: "after-restore", input_tokens: 1 }], { source: "test" });
  expect(r.accepted).toBe(1);
}

describe.skipIf(!serverUrl())("server database: pg_dump -Fc, pg_restore into a new database", () => {
  let database: TestDatabase;
  let restoredName = "";
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wakeboard-backup-"));
  afterAll(async () => {
    await closeDb();
    if (restoredName) {
      const c = new pg.Client({ connectionString: serverUrl() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${restoredName} WITH (FORCE)`);
      await c.end();
    }
    await database?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("restores every figure", async () => {
    database = await createTestDatabase();
    const before = await seeded(14);
    const file = path.join(dir, "wakeboard.dump");
    await pgTool("pg_dump", ["--format=custom", "--file", file, database.url!]);

    restoredName = `wakeboard_test_restore_${Date.now()}_${randomBytes(3).toString("hex")}`;
    const target = new URL(database.url!);
    target.pathname = `/${restoredName}`;
    await pgTool("createdb", ["--maintenance-db", serverUrl()!, restoredName]);
    await pgTool("pg_restore", ["--no-owner", "--no-privileges", "--exit-on-error", "--dbname", target.toString(), file]);

    await closeDb();
    process.env.DATABASE_URL = target.toString();
    resetConfig();
    expect(await withSchemaAdapter(applyMigrations)).toEqual([]); // nothing left to migrate
    expect(await figures()).toEqual(before);
    await takesNewEvents();
  }, 300_000);
});

describe("embedded database: stop, copy the folder, start on the copy", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "wakeboard-backup-embedded-"));
  const saved = { url: process.env.DATABASE_URL, dir: process.env.WAKEBOARD_DATA_DIR };
  afterAll(async () => {
    await closeDb();
    process.env.DATABASE_URL = saved.url;
    process.env.WAKEBOARD_DATA_DIR = saved.dir;
    resetConfig();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("restores every figure", async () => {
    await closeDb();
    delete process.env.DATABASE_URL;
    process.env.WAKEBOARD_DATA_DIR = path.join(root, "live");
    resetConfig();
    await withSchemaAdapter(applyMigrations);
    const before = await seeded(7);
    await closeDb(); // = the server stopped

    // The documented commands: tar the folder, untar it somewhere else.
    const archive = path.join(root, "wakeboard-embedded.tar.gz");
    await pgTool("tar", ["-czf", archive, "-C", path.join(root, "live"), "pglite"]);
    fs.mkdirSync(path.join(root, "restored"));
    await pgTool("tar", ["-xzf", archive, "-C", path.join(root, "restored")]);

    process.env.WAKEBOARD_DATA_DIR = path.join(root, "restored");
    resetConfig();
    expect(await figures()).toEqual(before);
    await takesNewEvents();
  }, 300_000);
});

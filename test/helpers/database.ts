import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { resetConfig } from "@/lib/config";
import { closeDb, withSchemaAdapter } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";

// Integration tests run against a real PostgreSQL: each test file creates its own
// database on the server named by TEST_DATABASE_URL or DATABASE_URL and drops it after.
// Without either, they fall back to embedded PGlite in a temporary folder.

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "::1", "[::1]", ""]);

export function serverUrl(): string | undefined {
  const url = process.env.WAKEBOARD_TEST_SERVER_URL;
  if (!url) return undefined;
  const host = new URL(url).hostname;
  if (!LOCAL_HOSTS.has(host)) throw new Error(`Refusing to run tests against a non-local database host "${host}"`);
  return url;
}

export interface TestDatabase {
  url?: string;
  kind: "postgres" | "pglite";
  drop(): Promise<void>;
}

/** Creates an empty database (migrated), points this process's config at it, and returns it. */
export async function createTestDatabase(opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  await closeDb();
  const base = serverUrl();
  let test: TestDatabase;
  if (base) {
    const name = `wakeboard_test_${Date.now()}_${randomBytes(3).toString("hex")}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    process.env.DATABASE_URL = url.toString();
    delete process.env.WAKEBOARD_DATA_DIR;
    test = {
      url: url.toString(),
      kind: "postgres",
      async drop() {
        await closeDb();
        const c = new pg.Client({ connectionString: base });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wakeboard-test-"));
    delete process.env.DATABASE_URL;
    process.env.WAKEBOARD_DATA_DIR = dir;
    test = {
      kind: "pglite",
      async drop() {
        await closeDb();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  resetConfig();
  if (opts.migrate !== false) await withSchemaAdapter(applyMigrations);
  return test;
}

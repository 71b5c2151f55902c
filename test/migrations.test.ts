import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { db, withSchemaAdapter } from "@/lib/db/client";
import { applyMigrations, pendingSchemaDiff } from "@/lib/db/migrate";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase({ migrate: false });
});
afterAll(() => database.drop());

describe("migrations", () => {
  it("apply to an empty database and record themselves in _prisma_migrations", async () => {
    const applied = await withSchemaAdapter(applyMigrations);
    expect(applied.length).toBeGreaterThan(0);
    const rows = await (await db()).$queryRaw<{ migration_name: string; finished_at: Date | null }[]>`
      SELECT migration_name, finished_at FROM _prisma_migrations ORDER BY migration_name`;
    expect(rows.map((r) => r.migration_name)).toEqual(applied);
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
  });

  it("apply nothing the second time", async () => {
    expect(await withSchemaAdapter(applyMigrations)).toEqual([]);
  });

  it("produce exactly schema.prisma (the diff between them is empty)", async () => {
    expect(await pendingSchemaDiff()).toBe("");
  });
});

import type { Command } from "@/scripts/cli/command";
import { out } from "@/scripts/cli/command";
import { withSchemaAdapter } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";

export const migrate: Command = {
  name: "migrate",
  summary: "apply pending database migrations",
  usage: "migrate",
  needsDb: true,
  async run() {
    const applied = await withSchemaAdapter(applyMigrations);
    out(applied.length ? `applied ${applied.length} migration(s): ${applied.join(", ")}` : "database is up to date");
  },
};

export const migrateNew: Command = {
  name: "migrate new",
  summary: "write the next migration from the difference between migrations and schema.prisma",
  usage: "migrate new NAME",
  needsDb: false,
  async run(argv) {
    const { createMigration } = await import("@/lib/db/migrate");
    const dir = await createMigration(argv[0] ?? "migration");
    out(dir ? `wrote ${dir}/migration.sql` : "schema.prisma matches the migrations: nothing to write");
  },
};

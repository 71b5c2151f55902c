import { randomBytes } from "node:crypto";
import { parse, UsageError, out, info, type Command } from "@/scripts/cli/command";
import { withSchemaAdapter } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { seedDemo } from "@/lib/seed/demo";

export const seed: Command = {
  name: "seed",
  summary: "load the demo org (teams, people, 120 days of usage, demo logins)",
  usage: "seed --demo [--days N] [--password P]",
  needsDb: true,
  async run(argv) {
    const { values } = parse(argv, { demo: { type: "boolean" }, days: { type: "string" }, password: { type: "string" } });
    if (!values.demo) throw new UsageError("only the demo seed exists: pass --demo");
    const days = values.days ? Number(values.days) : 120;
    if (!Number.isInteger(days) || days < 1 || days > 730) throw new UsageError("--days must be a whole number from 1 to 730");
    await withSchemaAdapter(applyMigrations);
    const password = values.password ?? randomBytes(9).toString("base64url");
    const r = await seedDemo({ days, adminPassword: password, log: info });
    out(`seeded ${r.teams} teams in ${r.groups} groups, ${r.people} people, ${r.events} events (${r.rollupRows} rollup rows) in ${(r.ms / 1000).toFixed(1)} s`);
    out(`demo logins (created only if missing): admin@wakeboard.local, manager@wakeboard.local, viewer@wakeboard.local / ${password}`);
  },
};

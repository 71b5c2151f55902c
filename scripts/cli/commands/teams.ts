import { parse, UsageError, out, type Command } from "@/scripts/cli/command";
import { db } from "@/lib/db/client";

export const teamsCreate: Command = {
  name: "teams create",
  summary: "create a team (or org unit) under an optional parent",
  usage: "teams create SLUG --name N [--parent SLUG] [--headcount N]",
  needsDb: true,
  async run(argv) {
    const { values, positionals } = parse(argv, { name: { type: "string" }, parent: { type: "string" }, headcount: { type: "string" } }, true);
    const slug = (positionals[0] ?? "").toLowerCase();
    if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(slug)) throw new UsageError("give a slug: 1–64 of a-z, 0-9, '.', '_', '-'");
    const headcount = values.headcount === undefined ? null : Number(values.headcount);
    if (headcount !== null && !(Number.isInteger(headcount) && headcount >= 0)) throw new UsageError("--headcount must be a whole number ≥ 0");
    const prisma = await db();
    let parentId: number | null = null;
    if (values.parent) {
      const parent = await prisma.team.findUnique({ where: { slug: values.parent } });
      if (!parent) throw new UsageError(`unknown parent team "${values.parent}"`);
      parentId = parent.id;
    }
    if (await prisma.team.findUnique({ where: { slug } })) throw new UsageError(`team "${slug}" already exists`);
    const team = await prisma.team.create({ data: { slug, name: values.name ?? slug, parentId, headcountOverride: headcount } });
    await prisma.auditLog.create({ data: { actor: "cli", action: "team.create", targetType: "team", targetId: String(team.id), details: { slug, parent: values.parent ?? null } } });
    out(`created team ${slug} (id ${team.id})`);
  },
};

export const teamsList: Command = {
  name: "teams list",
  summary: "list teams as a tree with member counts",
  usage: "teams list",
  needsDb: true,
  async run() {
    const prisma = await db();
    const teams = await prisma.team.findMany({ include: { _count: { select: { people: true } } }, orderBy: { slug: "asc" } });
    const children = new Map<number | null, typeof teams>();
    for (const t of teams) children.set(t.parentId, [...(children.get(t.parentId) ?? []), t]);
    const walk = (parent: number | null, depth: number) => {
      for (const t of children.get(parent) ?? []) {
        const flags = [t.archivedAt ? "archived" : "", t.unreviewed ? "unreviewed" : "", t.headcountOverride !== null ? `headcount ${t.headcountOverride}` : ""].filter(Boolean);
        out(`${"  ".repeat(depth)}${t.slug}\t${t.name}\t${t._count.people} people${flags.length ? `\t(${flags.join(", ")})` : ""}`);
        walk(t.id, depth + 1);
      }
    };
    walk(null, 0);
  },
};

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { db } from "@/lib/db/client";
import { ingest } from "@/lib/ingest/ingest";
import { applyRoster, isRowError, previewRoster } from "@/lib/admin/roster";
import { drainQueue } from "@/lib/rollups/drain";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  const prisma = await db();
  const eng = await prisma.team.create({ data: { slug: "eng", name: "Engineering" } });
  for (const slug of ["alpha", "beta"]) await prisma.team.create({ data: { slug, name: slug.toUpperCase(), parentId: eng.id } });
  await prisma.team.create({ data: { slug: "old", name: "Old", archivedAt: new Date() } });
});
afterAll(() => database.drop());

const GOOD = [
  "email,name,team,identities",
  "ada@example.com,Ada Lovelace,alpha,github:ada-l;uuid:0a1b",
  "Ben@Example.com,Ben Ng,alpha,",
  '"cy@example.com","Cy, the Third",beta,cy-laptop',
].join("\n");

async function snapshot() {
  const prisma = await db();
  return {
    people: await prisma.person.findMany({ orderBy: { email: "asc" }, select: { email: true, name: true, teamId: true } }),
    memberships: await prisma.membership.findMany({ orderBy: [{ personId: "asc" }, { validFrom: "asc" }], select: { personId: true, teamId: true, validFrom: true, validTo: true } }),
    identities: await prisma.identity.findMany({ orderBy: { value: "asc" }, select: { kind: true, value: true, personId: true } }),
  };
}

describe("roster import", () => {
  it("previews a good file without writing anything", async () => {
    const preview = await previewRoster(GOOD);
    expect(preview.fileErrors).toEqual([]);
    expect(preview.counts).toEqual({ create: 3, update: 0, move: 0, unchanged: 0, invalid: 0 });
    expect(preview.rows.map((r) => r.email)).toEqual(["ada@example.com", "ben@example.com", "cy@example.com"]);
    expect(await (await db()).person.count()).toBe(0);
  });

  it("applies a good file: people, identities and an opening membership each", async () => {
    const r = await applyRoster(GOOD, { actor: "test", effectiveDay: "2026-10-01" });
    expect(r.counts.create).toBe(3);
    const s = await snapshot();
    expect(s.people.map((p) => [p.email, p.name])).toEqual([
      ["ada@example.com", "Ada Lovelace"],
      ["ben@example.com", "Ben Ng"],
      ["cy@example.com", "Cy, the Third"],
    ]);
    expect(s.memberships).toHaveLength(3);
    expect(s.memberships.every((m) => m.validTo === null && m.validFrom.toISOString() === "2026-10-01T00:00:00.000Z")).toBe(true);
    expect(s.identities.map((i) => `${i.kind}:${i.value}`).sort()).toEqual(["alias:cy-laptop", "github:ada-l", "uuid:0a1b"]);
    const log = await (await db()).auditLog.findMany({ where: { action: "roster.import" } });
    expect(log).toHaveLength(1);
  });

  it("re-importing the same file changes nothing", async () => {
    const before = await snapshot();
    const r = await applyRoster(GOOD, { actor: "test", effectiveDay: "2026-11-01" });
    expect(r.counts).toEqual({ create: 0, update: 0, move: 0, unchanged: 3, invalid: 0 });
    expect(await snapshot()).toEqual(before);
  });

  it("reports bad rows with their line and reason, and applies only the good ones", async () => {
    const file = [
      "email,name,team,identities",
      "not-an-email,Nobody,alpha,",
      "dee@example.com,Dee,nowhere,",
      "eve@example.com,Eve,old,",
      "fay@example.com,Fay,alpha,github:ada-l",
      "gus@example.com,Gus,beta,",
      "gus@example.com,Gus again,beta,",
      ",,",
    ].join("\n");
    const preview = await previewRoster(file);
    const errors = Object.fromEntries(preview.rows.filter(isRowError).map((r) => [r.line, r.errors.join("; ")]));
    expect(errors[2]).toMatch(/not an email/);
    expect(errors[3]).toMatch(/unknown team "nowhere"/);
    expect(errors[4]).toMatch(/archived/);
    expect(errors[5]).toMatch(/ada-l belongs to ada@example.com/);
    expect(errors[7]).toMatch(/also on line 6/);
    expect(errors[8]).toMatch(/email is missing/);
    expect(preview.counts).toMatchObject({ create: 1, invalid: 6 });
    await applyRoster(file, { actor: "test", effectiveDay: "2026-11-01" });
    const emails = (await snapshot()).people.map((p) => p.email);
    expect(emails).toContain("gus@example.com");
    expect(emails).not.toContain("dee@example.com");
    expect(emails).not.toContain("fay@example.com");
  });

  it("takes a repeated identity once, and refuses a move dated before the current membership", async () => {
    const r = await applyRoster("email,name,team,identities\nhal@example.com,Hal,alpha,gh:hal;gh:hal;GH:hal\n", { actor: "test", effectiveDay: "2026-10-10" });
    expect(r.counts.create).toBe(1);
    expect(await (await db()).identity.count({ where: { value: "hal" } })).toBe(1);
    const early = await applyRoster("email,name,team\nhal@example.com,Hal,beta\n", { actor: "test", effectiveDay: "2026-10-01" });
    expect(early.rows[0]).toMatchObject({ errors: [expect.stringMatching(/before hal@example.com's current membership began \(2026-10-10\)/)] });
    expect((await (await db()).person.findUniqueOrThrow({ where: { email: "hal@example.com" }, include: { team: true } })).team?.slug).toBe("alpha");
  });

  it("refuses an effective date in the future", async () => {
    const r = await applyRoster(GOOD.replace("alpha", "beta"), { actor: "test", effectiveDay: "2099-01-01" });
    expect(r.fileErrors[0]).toMatch(/cannot be in the future/);
  });

  it("refuses a file without the expected header", async () => {
    const preview = await previewRoster("mail,who\nx@example.com,X");
    expect(preview.fileErrors[0]).toMatch(/header email,name,team/);
    expect(preview.rows).toEqual([]);
  });

  it("a team move leaves last month's numbers with the old team", async () => {
    const event = (id: string, timestamp: string) => ({ id, timestamp, tool: "claude-code", user: "ada@example.com", input_tokens: 1000, output_tokens: 100 });
    const now = new Date("2026-11-20T12:00:00Z");
    expect((await ingest([event("oct-1", "2026-10-15T10:00:00Z")], { source: "test", now })).accepted).toBe(1);

    const moved = GOOD.replace("ada@example.com,Ada Lovelace,alpha", "ada@example.com,Ada Lovelace,beta");
    const preview = await previewRoster(moved);
    expect(preview.rows.find((r) => r.email === "ada@example.com")).toMatchObject({ action: "move", fromTeam: "alpha" });
    await applyRoster(moved, { actor: "test", effectiveDay: "2026-11-01" });

    // A late event from October and a new one from November, both ingested after the move.
    expect((await ingest([event("oct-2", "2026-10-20T10:00:00Z"), event("nov-1", "2026-11-10T10:00:00Z")], { source: "test", now })).accepted).toBe(2);
    await drainQueue();
    const rows = await (await db()).$queryRaw<{ month: string; team: string; tokens: number }[]>`
      SELECT to_char(d.day, 'YYYY-MM') AS month, t.slug AS team, sum(d.input_tokens + d.output_tokens)::int AS tokens
      FROM daily_usage d JOIN teams t ON t.id = d.team_id GROUP BY 1, 2 ORDER BY 1, 2`;
    expect(rows).toEqual([
      { month: "2026-10", team: "alpha", tokens: 2200 },
      { month: "2026-11", team: "beta", tokens: 1100 },
    ]);

    const ada = await (await db()).person.findUniqueOrThrow({ where: { email: "ada@example.com" }, include: { memberships: { include: { team: true }, orderBy: { validFrom: "asc" } } } });
    expect(ada.memberships.map((m) => [m.team.slug, m.validFrom.toISOString().slice(0, 10), m.validTo?.toISOString().slice(0, 10) ?? null])).toEqual([
      ["alpha", "2026-10-01", "2026-11-01"],
      ["beta", "2026-11-01", null],
    ]);
    // And importing the moved file again is a no-op.
    const again = await applyRoster(moved, { actor: "test", effectiveDay: "2026-11-15" });
    expect(again.counts.move).toBe(0);
    expect(await (await db()).membership.count({ where: { personId: ada.id } })).toBe(2);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { db } from "@/lib/db/client";
import { ingest } from "@/lib/ingest/ingest";
import { createTeam, listTeamTree, setTeamArchived, updateTeam } from "@/lib/admin/teams";
import { listUnmappedIdentities, mapIdentity, movePerson, searchPeople } from "@/lib/admin/people";
import { listAudit } from "@/lib/admin/audit";
import { applyRoster } from "@/lib/admin/roster";

let database: TestDatabase;
const t: Record<string, number> = {};
beforeAll(async () => {
  database = await createTestDatabase();
  t.org = (await createTeam({ slug: "org", name: "Org", parentId: null, headcount: null }, "admin@x")).id;
  t.a = (await createTeam({ slug: "a", name: "A", parentId: t.org, headcount: null }, "admin@x")).id;
  t.a1 = (await createTeam({ slug: "a1", name: "A1", parentId: t.a, headcount: 4 }, "admin@x")).id;
  t.b = (await createTeam({ slug: "b", name: "B", parentId: t.org, headcount: null }, "admin@x")).id;
  await applyRoster("email,name,team\nkim@x.io,Kim,a1\n", { actor: "admin@x", effectiveDay: "2026-09-01" });
});
afterAll(() => database.drop());

describe("teams", () => {
  it("lists the tree parents first, with depth and members", async () => {
    const tree = await listTeamTree();
    expect(tree.map((x) => [x.slug, x.depth, x.members])).toEqual([["org", 0, 0], ["a", 1, 0], ["a1", 2, 1], ["b", 1, 0]]);
    expect(tree.find((x) => x.slug === "a1")?.headcountOverride).toBe(4);
  });

  it("refuses a duplicate slug", async () => {
    await expect(createTeam({ slug: "a", name: "Again", parentId: null, headcount: null }, "admin@x")).rejects.toThrow(/already exists/);
  });

  it("renames, re-parents and clears a headcount override; refuses a cycle", async () => {
    await updateTeam(t.a1, { name: "A-one", parentId: t.b, headcount: null }, "admin@x");
    const a1 = (await listTeamTree()).find((x) => x.slug === "a1")!;
    expect(a1).toMatchObject({ name: "A-one", parentId: t.b, headcountOverride: null });
    await expect(updateTeam(t.org, { parentId: t.a1 }, "admin@x")).rejects.toThrow(/under itself or one of its sub-teams/);
    await expect(updateTeam(t.a, { parentId: t.a }, "admin@x")).rejects.toThrow(/under itself/);
  });

  it("marks an unreviewed team (first seen in events) reviewed when saved", async () => {
    await ingest([{ id: "u1", timestamp: "2026-11-01T10:00:00Z", tool: "codex", team: "mystery" }], { source: "test", now: new Date("2026-11-02T00:00:00Z") });
    const mystery = (await listTeamTree()).find((x) => x.slug === "mystery")!;
    expect(mystery.unreviewed).toBe(true);
    await updateTeam(mystery.id, { name: "Mystery", parentId: t.org }, "admin@x");
    expect((await listTeamTree()).find((x) => x.slug === "mystery")).toMatchObject({ unreviewed: false, name: "Mystery" });
  });

  it("archives only a team without members or active sub-teams, and keeps it", async () => {
    await expect(setTeamArchived(t.a1, true, "admin@x")).rejects.toThrow(/Move the 1 current member/);
    await expect(setTeamArchived(t.org, true, "admin@x")).rejects.toThrow(/sub-team/);
    await setTeamArchived(t.a, true, "admin@x");
    expect((await listTeamTree()).find((x) => x.slug === "a")).toMatchObject({ archived: true });
    await setTeamArchived(t.a, false, "admin@x");
    expect((await listTeamTree()).find((x) => x.slug === "a")).toMatchObject({ archived: false });
  });
});

describe("people", () => {
  it("finds people by email, name, identity or team slug", async () => {
    await applyRoster("email,name,team,identities\nlee@x.io,Lee Park,b,github:leep\n", { actor: "admin@x", effectiveDay: "2026-09-01" });
    for (const q of ["lee@", "park", "leep", "b"]) expect((await searchPeople(q)).map((p) => p.email), q).toContain("lee@x.io");
    expect((await searchPeople("nobody-matches"))).toEqual([]);
  });

  it("moves a person from an effective date: closes the old membership, opens a new one", async () => {
    const kim = (await searchPeople("kim@x.io"))[0];
    await movePerson(kim.id, "b", new Date("2026-10-15T00:00:00Z"), "admin@x");
    const after = (await searchPeople("kim@x.io"))[0];
    expect(after.team?.slug).toBe("b");
    expect(after.memberships.map((m) => [m.teamSlug, m.from.toISOString().slice(0, 10), m.to?.toISOString().slice(0, 10) ?? null])).toEqual([
      ["b", "2026-10-15", null],
      ["a1", "2026-09-01", "2026-10-15"],
    ]);
    // Moving again to the same team changes nothing; a date before the open membership is refused.
    expect((await movePerson(kim.id, "b", new Date("2026-11-01T00:00:00Z"), "admin@x")).moved).toBe(false);
    await expect(movePerson(kim.id, "a", new Date("2026-10-01T00:00:00Z"), "admin@x")).rejects.toThrow(/on or after 2026-10-15/);
    await expect(movePerson(kim.id, "nowhere", new Date(), "admin@x")).rejects.toThrow(/Unknown team/);
    await expect(movePerson(kim.id, "a", new Date(Date.now() + 86_400_000), "admin@x")).rejects.toThrow(/cannot be in the future/);
  });
});

describe("unmapped identities", () => {
  it("lists ids seen in telemetry with their event count, and maps one to a person", async () => {
    const now = new Date("2026-11-20T12:00:00Z");
    await ingest(
      [1, 2, 3].map((i) => ({ id: `ghost-${i}`, timestamp: "2026-11-19T10:00:00Z", tool: "claude-code", user: "ghost-laptop", input_tokens: 5 })),
      { source: "test", now },
    );
    const unmapped = await listUnmappedIdentities("ghost");
    expect(unmapped).toMatchObject([{ value: "ghost-laptop", kind: "user", events: 3 }]);
    await expect(mapIdentity(unmapped[0].id, "nobody@x.io", "admin@x")).rejects.toThrow(/No person/);
    await mapIdentity(unmapped[0].id, "LEE@x.io", "admin@x");
    expect(await listUnmappedIdentities("ghost")).toEqual([]);
    // New events from that identity now count for Lee's team.
    await ingest([{ id: "ghost-4", timestamp: "2026-11-20T10:00:00Z", tool: "claude-code", user: "ghost-laptop", input_tokens: 5 }], { source: "test", now });
    const [row] = await (await db()).$queryRaw<{ team: string; person: string }[]>`
      SELECT t.slug AS team, p.email AS person FROM usage_events e JOIN teams t ON t.id = e.team_id JOIN people p ON p.id = e.person_id WHERE e.event_id = 'ghost-4'`;
    expect(row).toEqual({ team: "b", person: "lee@x.io" });
  });

  it("every change above is in the audit log, newest first", async () => {
    const { entries } = await listAudit({ limit: 200 });
    const actions = entries.map((e) => e.action);
    expect(actions[0]).toBe("identity.map");
    for (const a of ["team.create", "team.update", "team.archive", "team.unarchive", "person.move", "roster.import"]) expect(actions).toContain(a);
    expect((await listAudit({ q: "identity.map" })).entries).toHaveLength(1);
    expect((await listAudit({ q: "ghost-laptop" })).entries.map((e) => e.action)).toEqual(["identity.map"]); // found in the details
    expect((await listAudit({ q: "100%_" })).entries).toEqual([]);
    const page1 = await listAudit({ limit: 2 });
    const page2 = await listAudit({ limit: 2, before: page1.next! });
    expect(page2.entries[0].id).not.toBe(page1.entries[0].id);
    expect(BigInt(page2.entries[0].id)).toBeLessThan(BigInt(page1.entries[1].id));
  });
});

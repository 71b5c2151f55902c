import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { createPeople, lastDays, snapshot, totalsEverywhere, type TeamDay } from "@/test/helpers/connectors";
import { CopilotMock } from "@/test/mocks/copilot-server";
import { copilotExpected, copilotFixture, copilotUserRow, COPILOT_PEOPLE, COPILOT_STRANGER } from "@/test/mocks/copilot-fixture";
import { db } from "@/lib/db/client";
import { resetConfig } from "@/lib/config";
import { addConnector, listConnectors, setConnectorCredentials } from "@/lib/connectors/manage";
import { runConnector } from "@/lib/connectors/run";
import { dueConnectors } from "@/lib/connectors/scheduler";
import { listUnmappedIdentities, mapIdentity } from "@/lib/admin/people";
import { rebuildRollups } from "@/lib/ingest/rebuild-rollups";
import { rng } from "@/lib/seed/random";
import { getTeamSources } from "@/lib/queries/get-team-sources";

// The Copilot connector against a local GitHub (test/mocks/copilot-server.ts), end to end
// through the connector framework, ingest() and every rollup.

let database: TestDatabase;
let mock: CopilotMock;
const days = lastDays(14);
const fixture = copilotFixture(days);
const waits: number[] = [];
const http = { sleep: async (ms: number) => void waits.push(ms) };

const teamOf = (login: string) => COPILOT_PEOPLE.find((p) => p.login === login)?.team ?? "unassigned";

function expectTotals(actual: Map<string, TeamDay>, expected: ReturnType<typeof copilotExpected>) {
  const pick = (m: Map<string, Partial<TeamDay>>) =>
    Object.fromEntries([...m].map(([k, v]) => [k, { invocations: v.invocations, lines_added: v.lines_added, lines_removed: v.lines_removed, input_tokens: v.input_tokens, output_tokens: v.output_tokens }]));
  expect(pick(actual)).toEqual(pick(expected));
}

async function expectEverywhere(expected: ReturnType<typeof copilotExpected>) {
  const t = await totalsEverywhere("copilot");
  expectTotals(t.raw, expected);
  expectTotals(t.daily, expected);
  expectTotals(t.teamUsage, expected);
  const all = await totalsEverywhere();
  expectTotals(all.teamTotals, expected);
}

beforeAll(async () => {
  database = await createTestDatabase();
  process.env.WAKEBOARD_SECRET_KEY = "test-secret-key-for-connectors-0123456789";
  resetConfig();
  mock = await new CopilotMock().start();
  mock.users = fixture.users;
  mock.teams = fixture.teams;
  await createPeople(COPILOT_PEOPLE.map((p) => ({ email: p.email, team: p.team, identity: { kind: "github.login", value: p.login } })));
  await addConnector({ name: "github", vendor: "copilot", baseUrl: mock.url, scope: "orgs/acme", secret: mock.token, backfillDays: 14 }, "test");
});
afterAll(async () => {
  await mock?.stop();
  await database?.drop();
});

describe("Copilot connector", () => {
  it("a 14-day backfill equals the fixture's sums per team and day, in every rollup", async () => {
    const r = await runConnector("github", { http });
    expect(r).toMatchObject({ status: "ok", daysPulled: 14, records: [...fixture.users.values()].flat().length });
    // More users than fit one file: each day's report came as several signed NDJSON links.
    const downloads = mock.count((q) => q.path.startsWith("/download/") && q.path.includes("users-1-day"));
    expect(downloads).toBeGreaterThan(14);
    await expectEverywhere(copilotExpected(fixture.users, teamOf));
    // The token went to GitHub only, never to the file host.
    expect(mock.requests.filter((q) => q.path.startsWith("/download/")).every((q) => !q.headers.authorization)).toBe(true);
  });

  it("the run is on the admin page's list and in the audit log, without the credentials", async () => {
    const [c] = await listConnectors();
    expect(c).toMatchObject({ name: "github", vendor: "copilot", lastError: null, cursorDay: expect.any(String) });
    expect(c.runs[0]).toMatchObject({ status: "ok", daysPulled: 14, firstDay: days[0], lastDay: days[13] });
    expect(JSON.stringify(c)).not.toContain(mock.token);
    const prisma = await db();
    const stored = await prisma.connector.findFirstOrThrow();
    expect(stored.credentials).not.toContain(mock.token);
    const audit = await prisma.auditLog.findMany({ where: { targetType: "connector" } });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["connector.create", "connector.run.start", "connector.run.finish"]));
    expect(JSON.stringify(audit.map((a) => a.details))).not.toContain(mock.token);
  });

  it("the team's sources say Copilot comes from the connector, its lag and the days still open to revision", async () => {
    const s = await getTeamSources({ team: "payments" });
    const copilot = s.tools.find((t) => t.tool === "copilot")!;
    expect(copilot.paths).toEqual([
      { kind: "connector", label: "GitHub Copilot connector", connector: { name: "github", finalAfterDays: 3, lastSuccessAt: expect.any(String), openFrom: days[14 - 3] } },
    ]);
  });

  it("a revised day replaces its records: totals equal the new record, and a third pull moves nothing", async () => {
    const d = days[12]; // inside the trailing revision window
    const before = await totalsEverywhere("copilot");
    const rows = fixture.users.get(d)!;
    const r = rng(99);
    // GitHub revises one person's numbers, drops another person, and adds a late one.
    rows[0] = copilotUserRow(r, d, rows[0].user_id, rows[0].user_login);
    const dropped = rows.splice(1, 1)[0];
    const missing = COPILOT_PEOPLE.find((p) => !rows.some((x) => x.user_login === p.login) && p.login !== dropped.user_login);
    if (missing) rows.push(copilotUserRow(r, d, missing.userId, missing.login));

    const second = await runConnector("github", { http });
    expect(second.status).toBe("ok");
    expect(second.revised + second.removed + (missing ? 1 : 0)).toBeGreaterThanOrEqual(2);
    await expectEverywhere(copilotExpected(fixture.users, teamOf));
    // Days outside the revised one did not move.
    const after = await totalsEverywhere("copilot");
    for (const [k, v] of before.raw) if (!k.endsWith(d)) expect(after.raw.get(k)).toEqual(v);

    const snap = await snapshot();
    const third = await runConnector("github", { http });
    expect(third).toMatchObject({ status: "ok", revised: 0, removed: 0, eventsStored: 0 });
    expect(third.unchanged).toBeGreaterThan(0);
    expect(await snapshot()).toBe(snap);
  });

  it("waits as long as Retry-After says on 429, retries 5xx, and re-asks for an expired download link", async () => {
    const d = days[13];
    fixture.users.get(d)![0] = copilotUserRow(rng(7), d, fixture.users.get(d)![0].user_id, fixture.users.get(d)![0].user_login);
    waits.length = 0;
    mock.fail({ status: 429, retryAfter: "7", match: (p) => p.includes("users-1-day?day=") });
    mock.fail({ status: 502, match: (p) => p.startsWith("/download/") });
    mock.fail({ status: 403, retryAfter: "3", headers: { "x-ratelimit-remaining": "0" }, match: (p) => p.includes("user-teams-1-day?day=") });
    mock.expireNextDownloads = 1;
    const reportCalls = mock.count((q) => q.path.endsWith("users-1-day"));
    const r = await runConnector("github", { http });
    expect(r.status).toBe("ok");
    expect(waits).toContain(7000);
    expect(waits).toContain(3000);
    expect(r.retries).toBeGreaterThanOrEqual(3);
    // The expired link made it ask GitHub again for that day's report.
    expect(mock.count((q) => q.path.endsWith("users-1-day")) - reportCalls).toBeGreaterThan(r.daysPulled + 1);
    await expectEverywhere(copilotExpected(fixture.users, teamOf));
  });

  it("bad credentials: a clear error on the connector, no crash, and no scheduled retry until new ones are entered", async () => {
    const good = mock.token;
    mock.token = "ghp_rotatedTokenTheConnectorDoesNotKnow";
    const snap = await snapshot();
    const r = await runConnector("github", { http });
    expect(r).toMatchObject({ status: "failed", errorKind: "credentials" });
    expect(r.error).toMatch(/refused the credentials \(401 Bad credentials\)/);
    const [c] = await listConnectors();
    expect(c.lastError).toMatch(/refused the credentials/);
    expect(c.runs[0]).toMatchObject({ status: "failed", error: expect.stringMatching(/credentials/) });
    expect(await snapshot()).toBe(snap);
    // The schedule does not hammer GitHub with a token it refused.
    const far = new Date(Date.now() + 7 * 86_400_000);
    expect((await dueConnectors(far)).map((x) => x.name)).not.toContain("github");
    await setConnectorCredentials(c.id, mock.token, "test");
    mock.token = "ghp_rotatedTokenTheConnectorDoesNotKnow";
    expect((await dueConnectors(far)).map((x) => x.name)).toContain("github");
    mock.token = good;
    await setConnectorCredentials(c.id, good, "test");
  });

  it("an unknown GitHub user becomes an unmapped identity; once mapped, rollups rebuild --reattribute moves their usage", async () => {
    const unmapped = await listUnmappedIdentities("octo");
    expect(unmapped).toEqual([expect.objectContaining({ kind: "github.login", value: COPILOT_STRANGER.login.toLowerCase() })]);
    const prisma = await db();
    await createPeople([{ email: "octo@acme.test", team: "infra" }]);
    await mapIdentity(unmapped[0].id, "octo@acme.test", "test");
    await rebuildRollups({ reattribute: true });
    const mapped = (login: string) => (login === COPILOT_STRANGER.login ? "infra" : teamOf(login));
    await expectEverywhere(copilotExpected(fixture.users, mapped));
    expect(await prisma.usageEvent.count({ where: { team: { slug: "unassigned" } } })).toBe(0);
    // A later pull of the same days changes nothing, now that the person is known.
    const snap = await snapshot();
    expect(await runConnector("github", { http })).toMatchObject({ status: "ok", eventsStored: 0, revised: 0 });
    expect(await snapshot()).toBe(snap);
  });
});

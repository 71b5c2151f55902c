import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { createPeople, lastDays, totalsEverywhere } from "@/test/helpers/connectors";
import { CopilotMock } from "@/test/mocks/copilot-server";
import { copilotExpected, copilotFixture, COPILOT_PEOPLE } from "@/test/mocks/copilot-fixture";
import { db } from "@/lib/db/client";
import { resetConfig } from "@/lib/config";
import { addConnector, listConnectors } from "@/lib/connectors/manage";
import { runConnector } from "@/lib/connectors/run";

// A connector run killed with SIGKILL in the middle of a backfill (the CLI in a child
// process, stopped while GitHub holds a request) resumes from its cursor: nothing lost,
// nothing counted twice; and while one run holds the claim, a second one answers "busy".
// Needs a PostgreSQL server that two processes can share (embedded PGlite allows one).

let database: TestDatabase;
let mock: CopilotMock;
const days = lastDays(14);
const fixture = copilotFixture(days, 41);
const teamOf = (login: string) => COPILOT_PEOPLE.find((p) => p.login === login)?.team ?? "unassigned";
const SECRET_KEY = "resume-test-secret-key-0123456789abcdef";

beforeAll(async () => {
  database = await createTestDatabase();
  process.env.WAKEBOARD_SECRET_KEY = SECRET_KEY;
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

describe.skipIf(!process.env.DATABASE_URL && !process.env.TEST_DATABASE_URL)("a connector run killed mid-way", () => {
  it("resumes from its cursor without loss or double count, and a second run meanwhile is refused as busy", async () => {
    // GitHub stops answering on the 7th day; the CLI run has stored six days by then.
    const held = mock.hold((p) => p.includes(`users-1-day?day=${days[6]}`));
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/cli/main.ts", "connectors", "run", "github"], {
      env: { ...process.env, DATABASE_URL: database.url, WAKEBOARD_SECRET_KEY: SECRET_KEY, LOG_LEVEL: "silent" },
      stdio: "ignore",
    });
    const exited = new Promise<number | null>((r) => child.once("exit", (code, signal) => r(signal ? null : code)));
    await held.reached;

    const prisma = await db();
    const c = await prisma.connector.findUniqueOrThrow({ where: { name: "github" } });
    expect(c.cursorDay).toBe(days[6]);
    expect(await runConnector("github")).toMatchObject({ status: "busy" });

    child.kill("SIGKILL");
    expect(await exited).toBeNull();
    held.release();
    // The dead run's claim would expire after its lease; play that time forward.
    await prisma.$executeRaw`UPDATE connectors SET claim_expires_at = now() - interval '1 second' WHERE name = 'github'`;

    const r = await runConnector("github");
    expect(r).toMatchObject({ status: "ok" });
    expect(r.days[0]).toBe(days[6]);
    const t = await totalsEverywhere("copilot");
    const expected = copilotExpected(fixture.users, teamOf);
    const pick = (m: Map<string, { invocations: number; lines_added: number }>) => Object.fromEntries([...m].map(([k, v]) => [k, [v.invocations, v.lines_added]]));
    expect(pick(t.raw)).toEqual(pick(expected));
    expect(pick(t.daily)).toEqual(pick(expected));
    expect(pick(t.teamTotals)).toEqual(pick(expected));
    const [view] = await listConnectors();
    expect(view.runs.map((x) => x.status)).toEqual(["ok", "interrupted"]);
    expect(view.runs[1].daysPulled).toBe(6);
  });
});

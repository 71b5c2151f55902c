import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { createPeople, lastDays, snapshot, totalsEverywhere, type TeamDay } from "@/test/helpers/connectors";
import { CursorMock, cursorExpected, cursorFixture, cursorRow, CURSOR_PEOPLE } from "@/test/mocks/cursor-server";
import { resetConfig } from "@/lib/config";
import { addConnector } from "@/lib/connectors/manage";
import { runConnector } from "@/lib/connectors/run";
import { rng } from "@/lib/seed/random";

// The Cursor connector against a local Cursor Admin API (test/mocks/cursor-server.ts).

let database: TestDatabase;
let mock: CursorMock;
const days = lastDays(14);
const rows = cursorFixture(days);
const waits: number[] = [];
const http = { sleep: async (ms: number) => void waits.push(ms) };
const pick = (m: Map<string, Partial<TeamDay> | Record<string, number>>) =>
  Object.fromEntries([...m].map(([k, v]) => [k, ["invocations", "lines_added", "lines_removed"].map((f) => (v as Record<string, number>)[f])]));

async function expectEverywhere() {
  const expected = pick(cursorExpected(rows));
  const t = await totalsEverywhere("cursor");
  expect(pick(t.raw)).toEqual(expected);
  expect(pick(t.daily)).toEqual(expected);
  expect(pick(t.teamUsage)).toEqual(expected);
}

beforeAll(async () => {
  database = await createTestDatabase();
  process.env.WAKEBOARD_SECRET_KEY = "test-secret-key-for-connectors-0123456789";
  resetConfig();
  mock = await new CursorMock().start();
  mock.rows = rows;
  mock.pageSize = 3; // four members a day: two pages
  await createPeople(CURSOR_PEOPLE);
  await addConnector({ name: "cursor", vendor: "cursor", baseUrl: mock.url, secret: mock.key, backfillDays: 14 }, "test");
});
afterAll(async () => {
  await mock?.stop();
  await database?.drop();
});

describe("Cursor connector", () => {
  it("a 14-day backfill, page by page, equals the fixture's sums per team and day", async () => {
    const r = await runConnector("cursor", { http });
    expect(r).toMatchObject({ status: "ok", daysPulled: 14 });
    expect(mock.count((q) => JSON.parse(q.body).page === 2)).toBe(14);
    await expectEverywhere();
  });

  it("a revised day replaces the records (a member turned inactive is taken out); a third pull moves nothing", async () => {
    const d = days[13];
    const list = rows.get(d)!;
    const active = list.findIndex((x) => x.isActive);
    list[active] = cursorRow(rng(1), d, list[active].email, false);
    const other = list.findIndex((x, i) => i !== active);
    list[other] = cursorRow(rng(2), d, list[other].email, true);
    waits.length = 0;
    mock.fail({ status: 429, retryAfter: "4", body: JSON.stringify({ error: "Too Many Requests" }) });
    mock.fail({ status: 503 });
    const r = await runConnector("cursor", { http });
    expect(r.status).toBe("ok");
    expect(waits).toContain(4000);
    expect(r.revised + r.removed).toBeGreaterThanOrEqual(1);
    await expectEverywhere();
    const snap = await snapshot();
    expect(await runConnector("cursor", { http })).toMatchObject({ status: "ok", eventsStored: 0, revised: 0, removed: 0 });
    expect(await snapshot()).toBe(snap);
  });

  it("a refused key fails the run with a clear error", async () => {
    const good = mock.key;
    mock.key = "key_other";
    const r = await runConnector("cursor", { http });
    mock.key = good;
    expect(r).toMatchObject({ status: "failed", errorKind: "credentials" });
    expect(r.error).toContain("Invalid API key");
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { createPeople, lastDays, snapshot, totalsEverywhere, type TeamDay } from "@/test/helpers/connectors";
import { ClaudeCodeMock, claudeCodeExpected, claudeCodeFixture, claudeCodeRow, CLAUDE_PEOPLE, type ClaudeCodeRow } from "@/test/mocks/claude-code-server";
import { resetConfig } from "@/lib/config";
import { db } from "@/lib/db/client";
import { ingest } from "@/lib/ingest/ingest";
import { addConnector } from "@/lib/connectors/manage";
import { runConnector } from "@/lib/connectors/run";
import { listUnmappedIdentities } from "@/lib/admin/people";
import { rng } from "@/lib/seed/random";

// The Claude Code Analytics connector against a local Admin API (test/mocks/claude-code-server.ts).

let database: TestDatabase;
let mock: ClaudeCodeMock;
const days = lastDays(14);
const rows = claudeCodeFixture(days);
const waits: number[] = [];
const http = { sleep: async (ms: number) => void waits.push(ms) };
const FIELDS = ["invocations", "input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens", "cost_usd", "lines_added", "lines_removed", "commits", "pull_requests"] as const;

const teamOf = (a: ClaudeCodeRow["actor"]) => (a.type === "user_actor" ? (CLAUDE_PEOPLE.find((p) => p.email === a.email_address)?.team ?? "unassigned") : "unassigned");

function pick(m: Map<string, Partial<TeamDay> | Record<string, number>>) {
  return Object.fromEntries([...m].map(([k, v]) => [k, FIELDS.map((f) => (v as Record<string, number>)[f])]));
}

async function expectEverywhere() {
  const expected = pick(claudeCodeExpected(rows, teamOf));
  const t = await totalsEverywhere("claude-code");
  expect(pick(t.raw)).toEqual(expected);
  expect(pick(t.daily)).toEqual(expected);
  expect(pick(t.teamUsage)).toEqual(expected);
}

beforeAll(async () => {
  database = await createTestDatabase();
  process.env.WAKEBOARD_SECRET_KEY = "test-secret-key-for-connectors-0123456789";
  resetConfig();
  mock = await new ClaudeCodeMock().start();
  mock.rows = rows;
  await createPeople(CLAUDE_PEOPLE);
  await addConnector({ name: "anthropic", vendor: "claude-code", baseUrl: mock.url, secret: mock.key, backfillDays: 14 }, "test");
});
afterAll(async () => {
  await mock?.stop();
  await database?.drop();
});

describe("Claude Code Analytics connector", () => {
  it("a 14-day backfill, read page by page, equals the fixture's sums per team and day", async () => {
    const r = await runConnector("anthropic", { http });
    expect(r).toMatchObject({ status: "ok", daysPulled: 14 });
    // Pages followed next_page: more requests than days.
    expect(mock.count((q) => q.query.has("page"))).toBeGreaterThan(0);
    expect(mock.requests.every((q) => q.headers["x-api-key"] === mock.key && q.headers["anthropic-version"] === "2023-06-01")).toBe(true);
    await expectEverywhere();
  });

  it("an API key actor becomes an unmapped identity named after the key", async () => {
    expect(await listUnmappedIdentities("ci-bot")).toEqual([expect.objectContaining({ kind: "anthropic.api_key_name", value: "ci-bot" })]);
  });

  it("a revised day replaces the records; a third pull moves nothing", async () => {
    const d = days[13];
    const list = rows.get(d)!;
    list[0] = claudeCodeRow(rng(5), d, list[0].actor, list[0].terminal_type);
    list.pop();
    const r = await runConnector("anthropic", { http });
    expect(r.status).toBe("ok");
    expect(r.revised + r.removed).toBeGreaterThanOrEqual(1);
    await expectEverywhere();
    const snap = await snapshot();
    expect(await runConnector("anthropic", { http })).toMatchObject({ status: "ok", eventsStored: 0, revised: 0, removed: 0 });
    expect(await snapshot()).toBe(snap);
  });

  it("retries 429 after Retry-After and 529 overloaded", async () => {
    const d = days[12];
    rows.get(d)![0] = claudeCodeRow(rng(8), d, rows.get(d)![0].actor);
    waits.length = 0;
    mock.fail({ status: 429, retryAfter: "11", body: JSON.stringify({ type: "error", error: { type: "rate_limit_error", message: "Number of requests has exceeded your rate limit" } }) });
    mock.fail({ status: 529, body: JSON.stringify({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } }) });
    const r = await runConnector("anthropic", { http });
    expect(r.status).toBe("ok");
    expect(waits).toContain(11_000);
    expect(r.retries).toBe(2);
    await expectEverywhere();
  });

  it("one source per tool and person: a day a person already reported by OTLP is not taken from the API too", async () => {
    const d = days[12]; // inside the revision window (Claude Code: the last 2 days)
    const person = CLAUDE_PEOPLE[0];
    if (!rows.get(d)!.some((x) => x.actor.type === "user_actor" && x.actor.email_address === person.email)) rows.get(d)!.push(claudeCodeRow(rng(3), d, { type: "user_actor", email_address: person.email }));
    await ingest([{ id: "otlp-like-1", timestamp: `${d}T09:00:00Z`, tool: "claude-code", user: person.email, invocations: 1, input_tokens: 123 }], { source: "otlp" });
    const withoutConnector = (x: ClaudeCodeRow) => x.actor.type === "user_actor" && x.actor.email_address === person.email;
    const list = rows.get(d)!;
    const r = await runConnector("anthropic", { http });
    expect(r.status).toBe("ok");
    expect(list.some(withoutConnector)).toBe(true);
    expect(r.otherSource).toBe(1);
    const prisma = await db();
    const fromApi = await prisma.usageEvent.count({ where: { source: "connector:claude-code", person: { email: person.email }, occurredAt: { gte: new Date(`${d}T00:00:00Z`), lt: new Date(`${d}T23:59:59Z`) } } });
    expect(fromApi).toBe(0);
    // Totals: that person's day is the OTLP event alone.
    rows.set(d, list.filter((x) => !withoutConnector(x)));
    const t = await totalsEverywhere("claude-code");
    const expected = claudeCodeExpected(rows, teamOf);
    const k = `${person.team}|${d}`;
    expect(t.raw.get(k)?.input_tokens).toBe((expected.get(k)?.input_tokens ?? 0) + 123);
    rows.set(d, list);
  });

  it("a refused key fails the run with a clear error and stores nothing", async () => {
    const snap = await snapshot();
    const good = mock.key;
    mock.key = "sk-ant-admin01-other";
    const r = await runConnector("anthropic", { http });
    mock.key = good;
    expect(r).toMatchObject({ status: "failed", errorKind: "credentials" });
    expect(r.error).toContain("invalid x-api-key");
    expect(await snapshot()).toBe(snap);
  });
});

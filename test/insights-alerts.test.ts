import { execFile } from "node:child_process";
import { createHmac } from "node:crypto";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { decodeQuotedPrintable, headerOf, startSmtp, type TestSmtp } from "@/test/helpers/smtp";
import { startReceiver, type TestReceiver } from "@/test/helpers/webhook-receiver";
import { db } from "@/lib/db/client";
import { resetConfig } from "@/lib/config";
import { ingest } from "@/lib/ingest/ingest";
import { loadViewer } from "@/lib/auth/viewer";
import { saveGoal } from "@/lib/insights/goals";
import { createRule, createWebhook, setWebhookSubscription } from "@/lib/insights/alerts";
import { runInsightsCycle } from "@/lib/insights/job";
import { asLeader } from "@/lib/insights/leader";
import { recordCrossing } from "@/lib/insights/evaluate";
import { backoffMs } from "@/lib/insights/deliver";

// Alerts end to end on a real database, a real SMTP server and a real HTTP receiver: a cost
// ceiling crossed at 80 % and then 100 % fires once per crossing — across two instances (this
// process and the CLI in another) and many cycles — and each crossing reaches each
// subscriber once, with retries after the receiver fails.

const run = promisify(execFile);
const NOW = new Date("2026-11-20T12:00:00Z");
const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

let database: TestDatabase;
let smtp: TestSmtp;
let receiver: TestReceiver;
let hookSecret = "";
let spent = 0;

async function spend(usd: number, when = NOW) {
  spent += usd;
  const r = await ingest([{ id: `cost-${spent}-${usd}`, timestamp: new Date(when.getTime() - 3_600_000).toISOString(), tool: "claude-code", team: "payments", user: "p1@example.com", input_tokens: 10, cost_usd: usd }], { source: "test", now: when });
  expect(r.rejected).toEqual([]);
}

/** The other instance: the CLI in its own process, on the same database. */
async function otherInstance(now: Date): Promise<{ leader: boolean; fired?: string[] }> {
  const { stdout } = await run(process.execPath, ["--import", "tsx", "scripts/cli/main.ts", "alerts", "run", "--now", now.toISOString()], { env: { ...process.env, LOG_LEVEL: "silent" } });
  return JSON.parse(stdout.trim().split("\n").at(-1)!);
}

async function alertKeys(): Promise<string[]> {
  return (await (await db()).alertEvent.findMany({ orderBy: { id: "asc" } })).map((e) => e.key);
}

beforeAll(async () => {
  smtp = await startSmtp();
  receiver = await startReceiver();
  process.env.WAKEBOARD_SMTP_URL = smtp.url;
  process.env.WAKEBOARD_MAIL_FROM = "Wakeboard <alerts@wakeboard.test>";
  process.env.WAKEBOARD_DELIVERY_BACKOFF_S = "60";
  process.env.WAKEBOARD_DELIVERY_ATTEMPTS = "4";
  process.env.WAKEBOARD_DIGEST = "off"; // this file counts alert messages only (test/insights-digest.test.ts: the digest)
  database = await createTestDatabase();
  const prisma = await db();
  const org = await prisma.team.create({ data: { slug: "org", name: "Org" } });
  const payments = await prisma.team.create({ data: { slug: "payments", name: "Payments", parentId: org.id } });
  for (const i of [1, 2, 3]) {
    await prisma.person.create({ data: { email: `p${i}@example.com`, name: `P${i}`, teamId: payments.id, memberships: { create: { teamId: payments.id, validFrom: new Date("2026-01-01T00:00:00Z") } } } });
  }
  const manager = await prisma.user.create({ data: { email: "manager@example.com", name: "M", role: "manager", managedTeams: { create: { teamId: payments.id } } } });
  const admin = await prisma.user.create({ data: { email: "admin@example.com", name: "A", role: "admin" } });
  const m = (await loadViewer(manager.id))!;
  const a = (await loadViewer(admin.id))!;
  await saveGoal({ team: "payments", metric: "cost", kind: "ceiling", value: 100 }, m);
  const rule = await createRule({ team: "payments", kind: "ceiling", threshold: null, subscribe: true }, m);
  const hook = await createWebhook({ name: "chat", url: receiver.url, digest: false }, a);
  hookSecret = hook.secret;
  await setWebhookSubscription(rule.id, hook.id, true);
  await spend(50);
});

afterAll(async () => {
  await database?.drop();
  await smtp?.stop();
  await receiver?.stop();
  for (const k of ["WAKEBOARD_SMTP_URL", "WAKEBOARD_MAIL_FROM", "WAKEBOARD_DELIVERY_BACKOFF_S", "WAKEBOARD_DELIVERY_ATTEMPTS", "WAKEBOARD_DIGEST"]) delete process.env[k];
  resetConfig();
});

describe("a cost ceiling alert", () => {
  it("does not fire below 80 %", async () => {
    const r = await runInsightsCycle(at(1));
    expect(r).toMatchObject({ leader: true, evaluated: { rules: 1, holding: 0, fired: [] } });
    expect(await alertKeys()).toEqual([]);
  });

  it("fires once when spending reaches exactly 80 %, however many cycles and instances run", async () => {
    await spend(30); // $80 of $100
    const cycles = await Promise.all([runInsightsCycle(at(2)), runInsightsCycle(at(2)), database.kind === "postgres" ? otherInstance(at(2)) : Promise.resolve({ leader: false })]);
    // Whoever led, one crossing exists; the rest found it recorded (or were not the leader).
    expect(await alertKeys()).toHaveLength(1);
    expect((await alertKeys())[0]).toMatch(/^ceiling:\d+:\d+:2026-11:80$/);
    expect(cycles.some((c) => c.leader)).toBe(true);
    for (let i = 3; i < 8; i++) await runInsightsCycle(at(i));
    if (database.kind === "postgres") expect(await otherInstance(at(8))).toMatchObject({ leader: true, fired: [] });
    expect(await alertKeys()).toHaveLength(1);
  }, 240_000); // two CLI processes start (tsx) on a busy machine

  it("delivered it once by email and once to the webhook, signed", async () => {
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0];
    expect(mail.to).toEqual(["manager@example.com"]);
    expect(mail.from).toBe("alerts@wakeboard.test");
    const body = decodeQuotedPrintable(mail.raw);
    expect(headerOf(mail.raw, "Subject")).toBe("[Wakeboard] Payments: 80 % of the $100.00 cost ceiling reached in 2026-11");
    expect(body).toContain("$80.00");
    expect(body).toContain("http://localhost:3000/teams/payments#goals");

    expect(receiver.received).toHaveLength(1);
    const hook = receiver.received[0];
    const ts = String(hook.headers["x-wakeboard-timestamp"]);
    const expected = `sha256=${createHmac("sha256", hookSecret).update(`${ts}.${hook.body}`).digest("hex")}`;
    expect(hook.headers["x-wakeboard-signature"]).toBe(expected);
    const json = JSON.parse(hook.body);
    expect(json.text).toContain("Payments: 80 %");
    expect(json.blocks[0]).toMatchObject({ type: "section", text: { type: "mrkdwn" } });
  });

  it("fires the 100 % crossing once, and retries a failing receiver with backoff until it arrives", async () => {
    receiver.failNext(2);
    smtp.failNext(1);
    await spend(20); // $100 of $100
    await runInsightsCycle(at(10));
    expect((await alertKeys()).filter((k) => k.endsWith(":100"))).toHaveLength(1);
    const prisma = await db();
    const pending = await prisma.delivery.findMany({ where: { status: "pending" }, orderBy: { channel: "asc" } });
    expect(pending.map((d) => [d.channel, d.attempts, d.lastError !== null])).toEqual([
      ["email", 1, true],
      ["webhook", 1, true],
    ]);
    // The first retry waits the backoff: a cycle before it sends nothing.
    const first = pending[0].nextAttemptAt.getTime() - at(10).getTime();
    expect(first).toBe(backoffMs(1));
    await runInsightsCycle(new Date(at(10).getTime() + first - 1000));
    expect(smtp.received).toHaveLength(1);
    expect(receiver.received).toHaveLength(3 - 1); // the first hook + one failed attempt
    // After the backoff: email goes through; the webhook fails once more, then doubles its wait.
    const t1 = new Date(at(10).getTime() + first);
    await runInsightsCycle(t1);
    expect(smtp.received).toHaveLength(2);
    const hook = await prisma.delivery.findFirstOrThrow({ where: { channel: "webhook", status: "pending" } });
    expect(hook.attempts).toBe(2);
    expect(hook.lastStatus).toBe(500);
    expect(hook.nextAttemptAt.getTime() - t1.getTime()).toBe(backoffMs(2));
    await runInsightsCycle(hook.nextAttemptAt);
    expect(receiver.received.map((r) => r.status)).toEqual([200, 500, 500, 200]);
    expect(await prisma.delivery.count({ where: { status: "sent" } })).toBe(4);
    // Several more cycles: nothing new is recorded or sent.
    for (let i = 0; i < 3; i++) await runInsightsCycle(new Date(hook.nextAttemptAt.getTime() + i * 60_000));
    expect(await alertKeys()).toHaveLength(2);
    expect(smtp.received).toHaveLength(2);
    expect(receiver.received).toHaveLength(4);
  });

  it("gives up after WAKEBOARD_DELIVERY_ATTEMPTS and logs why", async () => {
    receiver.failNext(100);
    const prisma = await db();
    const rule = await prisma.alertRule.findFirstOrThrow();
    const id = await recordCrossing({ key: "test:give-up", ruleId: rule.id, teamId: null, kind: "ceiling", title: "t", message: "m", link: "/", details: {} }, at(100));
    expect(id).not.toBeNull();
    let t = at(100);
    for (let i = 0; i < 6; i++) {
      await runInsightsCycle(t);
      t = new Date(t.getTime() + 3_600_000);
    }
    const d = await prisma.delivery.findFirstOrThrow({ where: { alertId: id!, channel: "webhook" } });
    expect(d).toMatchObject({ status: "failed", attempts: 4, lastStatus: 500, lastError: "receiver answered 500" });
    receiver.failNext(0);
  });
});

describe("once, whatever the concurrency", () => {
  it("the same crossing recorded by many callers at once is one alert", async () => {
    const prisma = await db();
    const rule = await prisma.alertRule.findFirstOrThrow();
    const c = { key: "test:race", ruleId: rule.id, teamId: null, kind: "ceiling" as const, title: "race", message: "m", link: "/", details: {} };
    const ids = await Promise.all(Array.from({ length: 8 }, () => recordCrossing(c)));
    expect(ids.filter((x) => x !== null)).toHaveLength(1);
    expect(await prisma.alertEvent.count({ where: { key: "test:race" } })).toBe(1);
    expect(await prisma.delivery.count({ where: { alertId: ids.find((x) => x !== null)! } })).toBe(2);
  });

  it.skipIf(!process.env.WAKEBOARD_TEST_SERVER_URL)("only one instance leads at a time", async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const first = asLeader("test-lock", async () => {
      entered();
      await held;
      return 1;
    });
    await inside;
    expect(await asLeader("test-lock", async () => 2)).toEqual({ leader: false });
    release();
    expect(await first).toEqual({ leader: true, result: 1 });
    expect(await asLeader("test-lock", async () => 3)).toEqual({ leader: true, result: 3 });
  });
});

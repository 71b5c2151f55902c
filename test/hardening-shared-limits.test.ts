import path from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { createKey } from "@/lib/keys/api-keys";
import { SharedLimiter, leaseBatch } from "@/lib/http/shared-limiter";
import { enforceKeyRateLimit, resetKeyRateLimits } from "@/lib/ingest/key-rate-limit";
import { ApiError } from "@/lib/http/errors";

// State shared by every instance (issue 10, issue 11): the per-key ingest bucket lives in
// PostgreSQL, each process leasing a few tokens at a time. Two server processes on one
// database and one key: the sum of what both let through stays within the key's limit.

let database: TestDatabase;
const children: ChildProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
  await database.drop();
});

/** A server process (test/helpers/ingest-process.ts) on the test database: its base URL. */
async function startProcess(): Promise<string> {
  const child = spawn(process.execPath, ["--import", "tsx", "test/helpers/ingest-process.ts"], {
    cwd: path.resolve(import.meta.dirname, ".."),
    env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: "silent" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening (\d+)/.exec(out);
      if (m) resolve(`http://127.0.0.1:${m[1]}`);
    });
    child.once("exit", (code) => reject(new Error(`server process exited with ${code}`)));
  });
}

const event = (i: number) => ({ id: `shared-${i}`, timestamp: "2026-11-30T10:00:00Z", tool: "claude-code", team: "infra", input_tokens: 1 });

describe("one key, two server processes", () => {
  it("the limit holds for the sum of both, and every answer carries X-RateLimit-*", async () => {
    const rate = 5; // the key's own limit: 5/s, burst 10
    const burst = rate * 2;
    const key = await createKey({ name: "shared", scopes: ["ingest"], rateLimit: rate, actor: "test" });
    const [a, b] = await Promise.all([startProcess(), startProcess()]);
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        fetch(`${i % 2 ? a : b}/api/v1/events`, {
          method: "POST",
          headers: { authorization: `Bearer ${key.secret}`, "content-type": "application/json" },
          body: JSON.stringify(event(i)),
        }).then(async (r) => ({ status: r.status, headers: r.headers, body: await r.text() })),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    const ok = answers.filter((r) => r.status === 200);
    const refused = answers.filter((r) => r.status === 429);
    expect(ok.length + refused.length).toBe(60);
    // Both processes let some through (the limit is not one process's), the sum within
    // burst + rate × elapsed (each process alone would have allowed 10).
    expect(ok.length).toBeGreaterThanOrEqual(burst);
    expect(ok.length).toBeLessThanOrEqual(burst + Math.floor(rate * seconds));
    for (const r of [...ok, ...refused]) {
      expect(r.headers.get("x-ratelimit-limit")).toBe(String(burst));
      expect(Number(r.headers.get("x-ratelimit-remaining"))).toBeGreaterThanOrEqual(0);
      expect(Number(r.headers.get("x-ratelimit-reset"))).toBeGreaterThanOrEqual(0);
    }
    for (const r of refused) {
      expect(r.headers.get("x-ratelimit-remaining")).toBe("0");
      expect(Number(r.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    }
    // What was stored is what was answered 200 (a refused request stores nothing).
    const { db } = await import("@/lib/db/client");
    expect(await (await db()).usageEvent.count({ where: { eventId: { startsWith: "shared-" } } })).toBe(ok.length);
  });
});

describe("the shared bucket, on a clock the test drives", () => {
  const t0 = Date.parse("2026-12-01T09:00:00Z");

  async function drain(limiters: SharedLimiter[], key: string, rate: number, burst: number, now: number): Promise<number[]> {
    const allowed = limiters.map(() => 0);
    // Take in turns until every limiter is refused: leases interleave between "instances".
    for (let open = limiters.map(() => true); open.some(Boolean); ) {
      for (let i = 0; i < limiters.length; i++) {
        if (!open[i]) continue;
        const d = await limiters[i].take(key, rate, burst, now);
        if (d.retryAfter > 0) open[i] = false;
        else allowed[i]++;
      }
    }
    return allowed;
  }

  it("two instances together get exactly the burst, then exactly the refill", async () => {
    const rate = 100;
    const burst = 200;
    expect(leaseBatch(rate, burst)).toBe(10); // leases of 10: both instances lease many times
    const instances = [new SharedLimiter({ shared: true }), new SharedLimiter({ shared: true })];
    const first = await drain(instances, "test:sum", rate, burst, t0);
    expect(first[0]).toBeGreaterThan(0);
    expect(first[1]).toBeGreaterThan(0);
    expect(first[0] + first[1]).toBe(burst);
    // Half a second later: 50 tokens came back, for both together (after the parked lease
    // expires: LEASE_MS is 1 s, so step past it).
    const later = await drain(instances, "test:sum", rate, burst, t0 + 1500);
    expect(later[0] + later[1]).toBe(150);
  });

  it("a refused take says when to retry and gets through then", async () => {
    resetKeyRateLimits();
    process.env.WAKEBOARD_RATE_LIMIT = "200:400";
    const key = { id: 4242, rateLimit: 1 }; // 1/s, burst 2
    const refusal = async (now: number) => {
      try {
        await enforceKeyRateLimit(key, now);
        return null;
      } catch (e) {
        if (e instanceof ApiError) return e;
        throw e;
      }
    };
    expect(await refusal(t0)).toBeNull();
    expect(await refusal(t0)).toBeNull();
    const refused = await refusal(t0);
    expect(refused?.status).toBe(429);
    const wait = Number(refused?.headers?.["retry-after"]);
    expect(wait).toBe(1);
    expect(refused?.headers?.["x-ratelimit-limit"]).toBe("2");
    expect((await refusal(t0 + wait * 1000 - 100))?.status).toBe(429);
    expect(await refusal(t0 + wait * 1000)).toBeNull();
  });
});

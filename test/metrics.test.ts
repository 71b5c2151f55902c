import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { get, post, startServer, type TestServer } from "@/test/helpers/http";
import { parsePrometheus, sampleValue } from "@/test/helpers/prometheus";
import { createKey } from "@/lib/keys/api-keys";
import { config } from "@/lib/config";
import { endpointLabel } from "@/lib/metrics/endpoint";
import { runScheduledExport } from "@/lib/export/schedule";
import { startAggregator } from "@/lib/rollups/aggregator";

// GET /api/metrics through HTTP: who may read it, and that the counters move by exactly what
// the requests the test made imply (deltas between two scrapes of the same process).

let database: TestDatabase;
let server: TestServer;
const keys = { metrics: "", ingest: "", slow: "" };

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startServer();
  keys.metrics = (await createKey({ name: "prometheus", scopes: ["metrics"], actor: "test" })).secret;
  keys.ingest = (await createKey({ name: "ingest", scopes: ["ingest"], rateLimit: 100_000, actor: "test" })).secret;
  keys.slow = (await createKey({ name: "slow", scopes: ["ingest"], rateLimit: 1, actor: "test" })).secret;
});
afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

const scrape = async () => {
  const res = await get(`${server.url}/api/metrics`, keys.metrics);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheus(res.text);
};

const at = new Date(Date.now() - 60_000).toISOString();
const event = (id: string, extra: Record<string, unknown> = {}) => ({ id, timestamp: at, tool: "claude-code", team: "infra", input_tokens: 10, ...extra });

describe("GET /api/metrics", () => {
  // Anonymous and session callers are covered by test/auth-role-matrix.test.ts.
  it("needs a key with the metrics scope (403 for an ingest key)", async () => {
    const refused = await get(`${server.url}/api/metrics`, keys.ingest);
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.text).error.message).toContain('"metrics" scope');
  });

  it("counts events by source and outcome, and requests by endpoint and status", async () => {
    const before = await scrape();
    const run = `m-${Date.now()}`;
    const first = await post(`${server.url}/api/v1/events`, { events: [event(`${run}-1`), event(`${run}-2`), event(`${run}-3`), { id: `${run}-bad`, tool: "x" }] }, { key: keys.ingest });
    const replay = await post(`${server.url}/api/v1/events`, { events: [event(`${run}-1`), event(`${run}-2`), event(`${run}-2`, { input_tokens: 11 })] }, { key: keys.ingest });
    expect([first.status, replay.status], JSON.stringify([first.body, replay.body])).toEqual([200, 200]);
    const after = await scrape();

    const delta = (name: string, labels: Record<string, string>) => sampleValue(after, name, labels) - sampleValue(before, name, labels);
    // Expected from the answers themselves, not from a copy of the metric text.
    const accepted = first.body.accepted + replay.body.accepted;
    const duplicates = first.body.duplicates + replay.body.duplicates;
    const rejected = first.body.rejected.length + replay.body.rejected.length;
    expect([accepted, duplicates, rejected]).toEqual([3, 2, 2]);
    expect(delta("wakeboard_ingest_events_total", { source: "api", outcome: "accepted" })).toBe(accepted);
    expect(delta("wakeboard_ingest_events_total", { source: "api", outcome: "duplicate" })).toBe(duplicates);
    expect(delta("wakeboard_ingest_events_total", { source: "api", outcome: "rejected" })).toBe(rejected);
    expect(delta("wakeboard_http_requests_total", { endpoint: "/api/v1/events", method: "POST", status: "200" })).toBe(2);
    expect(delta("wakeboard_http_request_duration_seconds_count", { endpoint: "/api/v1/events", method: "POST" })).toBe(2);
    // The scrape before this one was itself counted.
    expect(delta("wakeboard_http_requests_total", { endpoint: "/api/metrics", status: "200" })).toBe(1);
  });

  it("counts rate-limit refusals as the clients saw them", async () => {
    const before = await scrape();
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await post(`${server.url}/api/v1/events`, event(`rl-${Date.now()}-${i}`), { key: keys.slow }));
    const refused = answers.filter((a) => a.status === 429).length;
    expect(refused).toBeGreaterThan(0);
    const after = await scrape();
    const delta = sampleValue(after, "wakeboard_rate_limited_total", { endpoint: "/api/v1/events", limiter: "api_key" }) - sampleValue(before, "wakeboard_rate_limited_total", { endpoint: "/api/v1/events", limiter: "api_key" });
    expect(delta).toBe(refused);
  });

  it("reports the database pool and process figures", async () => {
    const samples = await scrape();
    if (database.kind === "postgres") {
      expect(sampleValue(samples, "wakeboard_db_pool_connections", { state: "max" })).toBe(config().DATABASE_POOL_SIZE);
      expect(sampleValue(samples, "wakeboard_db_pool_connections", { state: "total" })).toBeGreaterThan(0);
    }
    expect(sampleValue(samples, "wakeboard_process_resident_memory_bytes")).toBeGreaterThan(0);
  });

  it("sets a scheduled job's last success when it runs", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wakeboard-metrics-"));
    const started = Date.now() / 1000;
    try {
      const results = await runScheduledExport({ dir, grains: ["team"] });
      expect(results.map((r) => r.status)).toEqual(["written"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const at = sampleValue(await scrape(), "wakeboard_job_last_success_timestamp_seconds", { job: "weekly_export" });
    expect(at).toBeGreaterThanOrEqual(Math.floor(started));
  });
});

describe("rollup queue and aggregator", () => {
  // The in-process test server runs no aggregator, so what the test posts waits in the queue
  // until the test starts one.
  it("reports the queue's rows, events and lag, and the aggregator's last success", async () => {
    const run = `q-${Date.now()}`;
    const sent = [1, 2, 3, 4, 5].map((i) => event(`${run}-${i}`));
    const posted = await post(`${server.url}/api/v1/events`, { events: sent }, { key: keys.ingest });
    expect(posted.status).toBe(200);
    const waiting = await scrape();
    expect(sampleValue(waiting, "wakeboard_rollup_queue", { measure: "events" })).toBeGreaterThanOrEqual(sent.length);
    expect(sampleValue(waiting, "wakeboard_rollup_queue", { measure: "rows" })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(waiting, "wakeboard_rollup_lag_seconds")).toBeGreaterThan(0);

    const started = Date.now() / 1000;
    const aggregator = startAggregator({ intervalMs: 50 });
    try {
      await expect
        .poll(async () => sampleValue(await scrape(), "wakeboard_rollup_queue", { measure: "events" }), { timeout: 30_000 })
        .toBe(0);
    } finally {
      await aggregator.stop();
    }
    const drained = await scrape();
    expect(sampleValue(drained, "wakeboard_rollup_queue", { measure: "rows" })).toBe(0);
    expect(sampleValue(drained, "wakeboard_rollup_lag_seconds")).toBe(0);
    expect(sampleValue(drained, "wakeboard_job_last_success_timestamp_seconds", { job: "rollup_aggregator" })).toBeGreaterThanOrEqual(Math.floor(started));
  });
});

describe("docs/grafana-dashboard.json and docs/operations.md", () => {
  it("use only metrics the server exports", async () => {
    // Every family the scrape declares (# TYPE), also those with no sample yet.
    const text = (await get(`${server.url}/api/metrics`, keys.metrics)).text;
    const names = new Set([...text.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]));
    const root = path.resolve(import.meta.dirname, "..");
    for (const file of ["docs/grafana-dashboard.json", "docs/operations.md"]) {
      const doc = fs.readFileSync(path.join(root, file), "utf8");
      const section = file.endsWith(".md") ? doc.slice(doc.indexOf("## Metrics"), doc.indexOf("\n## ", doc.indexOf("## Metrics") + 1)) : doc;
      const used = new Set(section.match(/wakeboard_[a-z0-9_]+/g) ?? []);
      expect(used.size, file).toBeGreaterThan(3);
      // Families documented with a wildcard (wakeboard_process_*) end in "_".
      for (const name of used) if (!name.endsWith("_")) expect(names.has(name.replace(/_(bucket|count|sum)$/, "")), `${file}: ${name}`).toBe(true);
    }
  });
});

describe("endpoint labels", () => {
  it("give every route under app/api its pattern, and never a raw slug", () => {
    const root = path.resolve(import.meta.dirname, "../app/api");
    const routes = fs.readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith("route.ts"));
    expect(routes.length).toBeGreaterThan(10);
    for (const file of routes) {
      const sample = "/api/" + path.dirname(file).replace(/\[\.\.\.[^\]]+\]/, "signin/credentials").replace(/\[[^\]]+\]/g, "some-team");
      const label = endpointLabel(sample);
      expect(label, file).not.toBe("other");
      expect(label, file).not.toContain("some-team");
    }
    expect(endpointLabel("/api/v1/nope")).toBe("other");
  });
});

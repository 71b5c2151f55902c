import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from "@opentelemetry/sdk-metrics";
import { AggregationTemporalityPreference, OTLPMetricExporter as JsonExporter } from "@opentelemetry/exporter-metrics-otlp-http";
import { OTLPMetricExporter as ProtoExporter } from "@opentelemetry/exporter-metrics-otlp-proto";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { db } from "@/lib/db/client";
import { handleOtlp } from "@/lib/otlp/handle-otlp";
import { startOtlpServer } from "@/test/fixtures/otlp/sdk";
import { drainQueue } from "@/lib/rollups/drain";

// The real OpenTelemetry JS SDK as the client: a MeterProvider with the OTLP http/json and
// http/protobuf exporters, delta and cumulative temporality, several export cycles, an
// exporter retry, and a process restart (the counter resets and its series starts again).

let database: TestDatabase;
let server: Awaited<ReturnType<typeof startOtlpServer>>;
beforeAll(async () => {
  database = await createTestDatabase();
  server = await startOtlpServer();
});
afterAll(async () => {
  await server.close();
  await database.drop();
});

type Encoding = "json" | "protobuf";
type Temporality = "delta" | "cumulative";

function exporter(encoding: Encoding, temporality: Temporality): PushMetricExporter {
  const opts = {
    url: server.url("metrics"),
    temporalityPreference: temporality === "delta" ? AggregationTemporalityPreference.DELTA : AggregationTemporalityPreference.CUMULATIVE,
    // One of each pair compressed, so the gzip path is exercised by a real client too.
    compression: (encoding === "json" ? "gzip" : "none") as never,
  };
  return encoding === "json" ? new JsonExporter(opts) : new ProtoExporter(opts);
}

/** One CLI process: a provider, its counters as Claude Code names them, and a way to export now. */
function cliProcess(team: string, encoding: Encoding, temporality: Temporality) {
  const reader = new PeriodicExportingMetricReader({ exporter: exporter(encoding, temporality), exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({ resource: resourceFromAttributes({ "service.name": "claude-code", "team.id": team }), readers: [reader] });
  const meter = provider.getMeter("com.anthropic.claude_code");
  const attrs = { "session.id": `s-${team}`, "user.id": `u-${team}`, model: "claude-test" };
  const sessions = meter.createCounter("claude_code.session.count");
  const tokens = meter.createCounter("claude_code.token.usage");
  return {
    session: () => sessions.add(1, attrs),
    tokens: (type: string, n: number) => tokens.add(n, { ...attrs, type }),
    flush: () => reader.forceFlush(),
    exit: () => provider.shutdown(),
  };
}

async function teamTotals(team: string) {
  await drainQueue();
  const prisma = await db();
  const [row] = await prisma.$queryRaw<{ invocations: number; input: number; output: number; cache_read: number; cache_write: number }[]>`
    SELECT coalesce(sum(d.invocations), 0)::float8 AS invocations, coalesce(sum(d.input_tokens), 0)::float8 AS input,
      coalesce(sum(d.output_tokens), 0)::float8 AS output, coalesce(sum(d.cache_read_tokens), 0)::float8 AS cache_read,
      coalesce(sum(d.cache_write_tokens), 0)::float8 AS cache_write
    FROM daily_usage d JOIN teams t ON t.id = d.team_id WHERE t.slug = ${team}`;
  return row;
}

const cases: [Encoding, Temporality][] = [
  ["json", "delta"],
  ["json", "cumulative"],
  ["protobuf", "delta"],
  ["protobuf", "cumulative"],
];

describe("the OpenTelemetry JS SDK as client", () => {
  it.each(cases)("%s exporter, %s temporality: totals exact over export cycles, a retry and a counter reset", async (encoding, temporality) => {
    const team = `sdk-${encoding}-${temporality}`;
    const first = cliProcess(team, encoding, temporality);
    first.session();
    first.tokens("input", 100);
    first.tokens("output", 10);
    await first.flush();
    expect(await teamTotals(team)).toEqual({ invocations: 1, input: 100, output: 10, cache_read: 0, cache_write: 0 });

    first.tokens("input", 50);
    first.tokens("cacheRead", 20);
    await first.flush();
    await first.flush(); // nothing new: a cumulative exporter re-sends the same values
    expect(await teamTotals(team)).toEqual({ invocations: 1, input: 150, output: 10, cache_read: 20, cache_write: 0 });

    // The exporter retries a request whose answer it did not see: a duplicate.
    const last = server.received.filter((r) => r.body.length > 0).at(-1)!;
    const retry = await handleOtlp({
      signal: "metrics",
      contentType: last.contentType,
      contentEncoding: encoding === "json" ? "gzip" : undefined,
      body: last.body,
      logTools: [],
    });
    expect(retry.status).toBe(200);
    expect(retry.summary?.accepted).toBe(0);
    await first.exit();

    // The CLI restarts: new start time, counters from zero.
    const second = cliProcess(team, encoding, temporality);
    second.session();
    second.tokens("input", 30);
    second.tokens("cacheCreation", 5);
    await second.flush();
    await second.exit();

    expect(await teamTotals(team)).toEqual({ invocations: 2, input: 180, output: 10, cache_read: 20, cache_write: 5 });
    expect(server.received.every((r) => r.status === 200)).toBe(true);
  });

  it("keeps cumulative series state in the database", async () => {
    const prisma = await db();
    const [row] = await prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM otlp_series`;
    // Two cumulative cases × (session.count + four token types seen) series, restarted in place.
    expect(row.n).toBe(2 * 5);
  });
});

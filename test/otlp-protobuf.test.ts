import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import { OTLPMetricExporter as ProtoExporter } from "@opentelemetry/exporter-metrics-otlp-proto";
import type { ResourceMetrics } from "@opentelemetry/sdk-metrics";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { handleOtlp } from "@/lib/otlp/handle-otlp";
import { encodeProtobufRequest } from "@/lib/otlp/protobuf";
import { captures, expectedTotals, storedTotals } from "@/test/fixtures/otlp/captures";
import { startOtlpServer, toSdkResourceMetrics } from "@/test/fixtures/otlp/sdk";

// The same captures, re-encoded as protobuf by the real OpenTelemetry JS exporter
// (@opentelemetry/exporter-metrics-otlp-proto), must give the same totals as JSON, and the
// same event ids: the JSON afterwards is a duplicate of what the protobuf stored.

let database: TestDatabase;
let server: Awaited<ReturnType<typeof startOtlpServer>>;
beforeAll(async () => {
  database = await createTestDatabase();
  server = await startOtlpServer({ now: new Date("2026-11-29T04:00:00Z") });
});
afterAll(async () => {
  await server.close();
  await database.drop();
});

function exportWith(exporter: ProtoExporter, rm: ResourceMetrics): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(rm, resolve));
}

describe("OTLP protobuf", () => {
  it("captures re-sent by the real OTel protobuf exporter give the same totals as JSON", async () => {
    const exporter = new ProtoExporter({ url: server.url("metrics") });
    for (const c of captures()) {
      if (c.signal === "logs") {
        // No real logs exporter here: the logs are encoded with the same .proto definitions.
        const body = encodeProtobufRequest("logs", JSON.parse(Buffer.from(c.body).toString("utf8")));
        const res = await handleOtlp({ signal: "logs", contentType: "application/x-protobuf", body, logTools: [] });
        expect(res.status).toBe(200);
        continue;
      }
      for (const rm of toSdkResourceMetrics(JSON.parse(Buffer.from(c.body).toString("utf8")))) {
        const result = await exportWith(exporter, rm);
        expect(result.code, `${c.tool}/${c.run}/${c.file}: ${result.error?.message}`).toBe(ExportResultCode.SUCCESS);
      }
    }
    await exporter.shutdown();
    expect(server.received.length).toBeGreaterThan(0);
    expect(server.received.every((r) => r.contentType === "application/x-protobuf" && r.status === 200)).toBe(true);

    const stored = await storedTotals();
    for (const [tool, t] of Object.entries(expectedTotals())) {
      expect(stored[tool], tool).toMatchObject({
        invocations: t.invocations,
        input_tokens: t.input_tokens,
        output_tokens: t.output_tokens,
        cache_read_tokens: t.cache_read_tokens,
        cache_write_tokens: t.cache_write_tokens,
      });
    }
  });

  it("the JSON captures afterwards are duplicates of what the protobuf stored", async () => {
    const before = await storedTotals();
    for (const c of captures()) {
      const res = await handleOtlp({ signal: c.signal, contentType: "application/json", body: c.body, now: new Date("2026-11-29T04:00:00Z"), logTools: [] });
      expect(res.status).toBe(200);
      expect(res.summary?.accepted, `${c.tool}/${c.run}/${c.file}`).toBe(0);
    }
    expect(await storedTotals()).toEqual(before);
  });

  it("answers partialSuccess in protobuf when a protobuf request has unreadable points", async () => {
    const body = encodeProtobufRequest("metrics", {
      resourceMetrics: [{
        resource: { attributes: [{ key: "service.name", value: { stringValue: "claude-code" } }] },
        scopeMetrics: [{ metrics: [{ name: "claude_code.token.usage", sum: { aggregationTemporality: 0, dataPoints: [{ timeUnixNano: "1795921221283000000", asDouble: 5, attributes: [{ key: "type", value: { stringValue: "input" } }] }] } }] }],
      }],
    });
    const res = await handleOtlp({ signal: "metrics", contentType: "application/x-protobuf", body });
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/x-protobuf");
    const { decodeProtobufResponse } = await import("@/lib/otlp/protobuf");
    expect(decodeProtobufResponse("metrics", res.body as Uint8Array)).toEqual({
      partialSuccess: { rejectedDataPoints: "1", errorMessage: expect.stringContaining("aggregationTemporality") },
    });
  });
});

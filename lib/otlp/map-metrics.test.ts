import { describe, expect, it } from "vitest";
import { mapMetrics } from "@/lib/otlp/map-metrics";
import { mapLogs } from "@/lib/otlp/map-logs";
import { nativeEvent, sumParts } from "@/lib/otlp/drafts";
import { metricsRequest, logsRequest } from "@/lib/otlp/otlp-schema";

const kv = (a: Record<string, unknown>) =>
  Object.entries(a).map(([key, v]) => ({
    key,
    value: typeof v === "number" ? { intValue: String(v) } : typeof v === "boolean" ? { boolValue: v } : typeof v === "object" ? v : { stringValue: v },
  }));

function request(service: string, metrics: unknown[], resource: Record<string, unknown> = {}) {
  return metricsRequest.parse({ resourceMetrics: [{ resource: { attributes: kv({ "service.name": service, ...resource }) }, scopeMetrics: [{ metrics }] }] });
}
const T = "1795921458261000000";
const sum = (name: string, points: { v: number | string; a: Record<string, unknown>; double?: boolean }[], temporality = 1) => ({
  name,
  sum: { aggregationTemporality: temporality, isMonotonic: true, dataPoints: points.map((p) => ({ timeUnixNano: T, ...(p.double ? { asDouble: p.v } : { asInt: p.v }), attributes: kv(p.a) })) },
});
const events = (r: ReturnType<typeof request>, logTools: string[] = []) =>
  mapMetrics(r, { logTools: new Set(logTools) }).drafts.map((d) => nativeEvent(d, sumParts(d.parts)));

describe("mapping OTLP metrics to events", () => {
  it("normalises Gemini CLI: input − cache + tool, output + thought", () => {
    const [e] = events(request("gemini-cli", [sum("gemini_cli.token.usage", [
      { v: "1234", a: { model: "g", type: "input" } },
      { v: "56", a: { model: "g", type: "output" } },
      { v: "700", a: { model: "g", type: "cache" } },
      { v: "20", a: { model: "g", type: "thought" } },
      { v: "9", a: { model: "g", type: "tool" } },
    ], 2)]));
    expect(e).toMatchObject({ tool: "gemini-cli", model: "g", invocations: 0, input_tokens: 543, output_tokens: 76, cache_read_tokens: 700, cache_write_tokens: 0 });
  });

  it("normalises Codex from its token_usage histogram sums and ignores total", () => {
    const point = (token_type: string, s: number) => ({ timeUnixNano: T, count: "1", sum: s, attributes: kv({ model: "gpt-5", token_type }) });
    const [e] = events(request("codex_cli_rs", [{ name: "codex.turn.token_usage", histogram: { aggregationTemporality: 1, dataPoints: [
      point("input", 1234), point("cached_input", 700), point("cache_write_input", 100), point("output", 56), point("reasoning_output", 30), point("total", 1290),
    ] } }]));
    expect(e).toMatchObject({ tool: "codex", input_tokens: 534, cache_read_tokens: 700, cache_write_tokens: 100, output_tokens: 56 });
  });

  it("groups token types and cost that share attributes and time into one Claude Code event, sessions apart", () => {
    const a = { "session.id": "s1", model: "opus" };
    const out = events(request("claude-code", [
      sum("claude_code.session.count", [{ v: 1, a: { "session.id": "s1" }, double: true }]),
      sum("claude_code.token.usage", [{ v: 10, a: { ...a, type: "input" }, double: true }, { v: 3, a: { ...a, type: "cacheCreation" }, double: true }]),
      sum("claude_code.cost.usage", [{ v: 0.0123456789, a, double: true }]),
      sum("claude_code.lines_of_code.count", [{ v: 7, a: { "session.id": "s1", type: "added" }, double: true }, { v: 2, a: { "session.id": "s1", type: "removed" }, double: true }]),
    ]));
    expect(out).toHaveLength(2);
    expect(out.find((e) => e.input_tokens)).toMatchObject({ invocations: 0, input_tokens: 10, cache_write_tokens: 3, cost_usd: 0.012346, session_id: "s1" });
    expect(out.find((e) => e.invocations)).toMatchObject({ invocations: 1, input_tokens: 0, lines_added: 7, lines_removed: 2 });
  });

  it("derives the same id whatever the attribute order, and another id for another time", () => {
    const one = events(request("claude-code", [sum("claude_code.token.usage", [{ v: 1, a: { a: "1", b: "2", type: "input" } }])]))[0];
    const two = events(request("claude-code", [sum("claude_code.token.usage", [{ v: 1, a: { type: "input", b: "2", a: "1" } }])]))[0];
    expect(one.id).toBe(two.id);
    expect(one.id.length).toBeLessThanOrEqual(128);
    expect(one.timestamp).toBe("2026-11-29T03:04:18.261Z");
    const metric = sum("claude_code.token.usage", [{ v: 1, a: { a: "1", b: "2", type: "input" } }]);
    metric.sum.dataPoints[0].timeUnixNano = "1795921518261000000";
    expect(events(request("claude-code", [metric]))[0].id).not.toBe(one.id);
  });

  it("takes the team from the point over the resource, the person's ids from either", () => {
    const r = request("claude-code", [sum("claude_code.token.usage", [{ v: 1, a: { team: "Search", "user.id": "u1", type: "input" } }])], {
      "team.id": "platform",
      "user.email": "Alice@Example.com",
      "installation.id": "i1",
      "process.command_args": { arrayValue: { values: [{ stringValue: "node" }] } },
    });
    const d = mapMetrics(r, { logTools: new Set() }).drafts[0];
    expect(d.base).toMatchObject({ team: "search", user: "alice@example.com" });
    expect(d.identities).toEqual([{ kind: "user.id", value: "u1" }, { kind: "installation.id", value: "i1" }]);
    expect(d.base.attributes).toEqual({ "otlp.signal": "metrics" });
  });

  it("ignores unknown metrics, gauges, other tools' names and gen_ai metrics of known CLIs", () => {
    const r = request("gemini-cli", [
      sum("gemini_cli.api.request.count", [{ v: 1, a: {} }]),
      { name: "gen_ai.client.token.usage", histogram: { aggregationTemporality: 2, dataPoints: [{ timeUnixNano: T, sum: 5, attributes: kv({ "gen_ai.token.type": "input" }) }] } },
      { name: "gemini_cli.token.usage", gauge: { dataPoints: [{ timeUnixNano: T, asInt: "5" }] } },
      sum("claude_code.token.usage", [{ v: 1, a: { type: "input" } }]),
    ]);
    expect(mapMetrics(r, { logTools: new Set() })).toMatchObject({ drafts: [], ignored: 4, rejected: 0 });
  });

  it("skips token metrics of a tool whose tokens come from logs, keeps its sessions", () => {
    const r = request("codex_exec", [
      sum("codex.thread.started", [{ v: 1, a: {} }]),
      { name: "codex.turn.token_usage", histogram: { aggregationTemporality: 1, dataPoints: [{ timeUnixNano: T, sum: 5, attributes: kv({ token_type: "input" }) }] } },
    ]);
    expect(events(r, ["codex"])).toMatchObject([{ invocations: 1, input_tokens: 0 }]);
  });
});

describe("mapping OTLP logs to events", () => {
  it("reads Codex's response.completed with observedTimeUnixNano when timeUnixNano is 0", () => {
    const r = logsRequest.parse({
      resourceLogs: [{
        resource: { attributes: kv({ "service.name": "codex_exec", "team.id": "platform" }) },
        scopeLogs: [{ logRecords: [
          { timeUnixNano: "0", observedTimeUnixNano: T, attributes: kv({ "event.name": "codex.sse_event", "event.kind": "response.completed" }) },
          { timeUnixNano: "0", observedTimeUnixNano: T, attributes: kv({ "event.name": "codex.sse_event", "event.kind": "response.completed", input_token_count: "1234", cached_token_count: "700", output_token_count: "56", model: "gpt-5", "conversation.id": "c1" }) },
        ] }],
      }],
    });
    const out = mapLogs(r, { logTools: new Set(["codex"]) });
    expect(out.ignored).toBe(1);
    expect(out.drafts.map((d) => nativeEvent(d, sumParts(d.parts)))).toMatchObject([
      { tool: "codex", team: "platform", timestamp: "2026-11-29T03:04:18.261Z", input_tokens: 534, cache_read_tokens: 700, output_tokens: 56, invocations: 0, session_id: "c1" },
    ]);
    expect(mapLogs(r, { logTools: new Set() })).toMatchObject({ drafts: [], ignored: 2 });
  });
});

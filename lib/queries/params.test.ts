import { describe, expect, it } from "vitest";
import { parseDashboardParams, periodNotice, readDashboardParams, resolveParams } from "@/lib/queries/params";

describe("dashboard URL parameters", () => {
  it("read lists as commas or repeated keys and drop what is invalid on pages", () => {
    const p = readDashboardParams({ period: "2026-W53", metric: "nope", tool: ["codex,claude-code", "gemini-cli"], model: "m1", unit: "Eng", sort: "tokens" });
    expect(p).toEqual({ period: "2026-W53", tool: ["codex", "claude-code", "gemini-cli"], model: ["m1"], unit: "eng", sort: "tokens" });
  });

  it("answer field errors for the API", () => {
    const r = parseDashboardParams({ period: "2025-W53", metric: "tokens", grain: "hour" });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.path).sort()).toEqual(["grain", "period"]);
    expect(parseDashboardParams({ period: "7d", ignored: "x" })).toEqual({ ok: true, value: { period: "7d" } });
  });

  it("fill defaults", () => {
    const r = resolveParams({}, { tz: "UTC", now: new Date("2026-11-29T12:00:00Z") });
    expect(r).toMatchObject({ metric: "tokens", view: "teams", unit: null, grain: "day", period: { kind: "days", days: 30, to: "2026-11-28", today: "2026-11-29" } });
  });

  it("explain a period they cannot use instead of silently showing another", () => {
    expect(periodNotice({ period: "999d" })).toMatch(/“999d” must be between 1d and 731d; showing the last 30 days instead/);
    expect(periodNotice({ period: "7d" })).toBeNull();
    expect(periodNotice({})).toBeNull();
    expect(parseDashboardParams({ period: "999d" }).ok).toBe(false);
  });
});

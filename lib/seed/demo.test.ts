import { describe, expect, it } from "vitest";
import { demoOrg } from "@/lib/seed/demo-org";
import { demoEvents } from "@/lib/seed/demo";

const today = new Date("2026-11-29T00:00:00Z");

describe("the demo org", () => {
  it("is deterministic: the same org and events every time", () => {
    const a = demoOrg(120);
    const b = demoOrg(120);
    expect(b).toEqual(a);
    expect(demoEvents(b.people, today, 120)).toEqual(demoEvents(a.people, today, 120));
  });

  it("has the promised size: ≥ 6 groups, ≥ 40 teams, ≥ 600 people, four tools, 6+ models", () => {
    const { teams, people } = demoOrg(120);
    const groups = teams.filter((t) => t.parent === "acme");
    const leaves = teams.filter((t) => t.parent && t.parent !== "acme");
    expect(groups.length).toBeGreaterThanOrEqual(6);
    expect(leaves.length).toBeGreaterThanOrEqual(40);
    expect(people.length).toBeGreaterThanOrEqual(600);
    const events = demoEvents(people, today, 120);
    expect(new Set(events.map((e) => e.tool))).toEqual(new Set(["claude-code", "gemini-cli", "codex", "copilot"]));
    expect(new Set(events.map((e) => e.model)).size).toBeGreaterThanOrEqual(6);
  });

  it("has a believable shape: weekdays busier than weekends, rising adoption, silent teams", () => {
    const { teams, people } = demoOrg(120);
    const events = demoEvents(people, today, 120);
    const byDow = [0, 0, 0, 0, 0, 0, 0];
    for (const e of events) byDow[new Date(e.timestamp as string).getUTCDay()]++;
    expect(Math.min(...byDow.slice(1, 6))).toBeGreaterThan(3 * Math.max(byDow[0], byDow[6]));
    const dayOf = (e: Record<string, unknown>) => Math.floor((today.getTime() - Date.parse(e.timestamp as string)) / 86_400_000);
    const users = (from: number, to: number) => new Set(events.filter((e) => dayOf(e) >= from && dayOf(e) < to).map((e) => e.user)).size;
    expect(users(0, 14)).toBeGreaterThan(1.5 * users(106, 120));
    const active = new Set(events.map((e) => people.find((p) => p.email === e.user)!.team));
    const silent = teams.filter((t) => t.parent && t.parent !== "acme" && !active.has(t.slug));
    expect(silent.length).toBeGreaterThanOrEqual(2);
  });

  it("never reports from the future", () => {
    const events = demoEvents(demoOrg(120).people, today, 120);
    const end = today.getTime() + 86_400_000;
    expect(events.every((e) => Date.parse(e.timestamp as string) < end)).toBe(true);
  });
});

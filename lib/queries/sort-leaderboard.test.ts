import { describe, expect, it } from "vitest";
import { sortLeaderboard } from "@/lib/queries/sort-leaderboard";
import { hrefWith } from "@/lib/queries/url";
import type { LeaderboardRow } from "@/lib/queries/get-leaderboard";

const row = (slug: string, rank: number | null, tokens: number, adoptionPct: number | null) =>
  ({ slug, name: slug.toUpperCase(), rank, tokens, adoptionPct }) as LeaderboardRow;

describe("leaderboard display order", () => {
  const rows = [row("b", 2, 10, null), row("a", 1, 20, 50), row("c", null, 5, 10)];
  it("sorts by rank by default with unranked rows last", () => {
    expect(sortLeaderboard(rows).map((r) => r.slug)).toEqual(["a", "b", "c"]);
  });
  it("keeps empty values last in both directions", () => {
    expect(sortLeaderboard(rows, "adoption", "desc").map((r) => r.slug)).toEqual(["a", "c", "b"]);
    expect(sortLeaderboard(rows, "adoption", "asc").map((r) => r.slug)).toEqual(["c", "a", "b"]);
    expect(sortLeaderboard(rows, "tokens", "asc").map((r) => r.slug)).toEqual(["c", "b", "a"]);
  });
  it("builds links that keep the other parameters", () => {
    expect(hrefWith("/leaderboard", { period: "7d", tool: ["codex", "copilot"], sort: "rank" }, { sort: "tokens", dir: null })).toBe(
      "/leaderboard?period=7d&tool=codex%2Ccopilot&sort=tokens",
    );
  });
});

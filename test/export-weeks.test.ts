import { afterEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { exportText, num, readCsv } from "@/test/helpers/export-csv";
import { db } from "@/lib/db/client";
import { ingest } from "@/lib/ingest/ingest";
import { isoWeekOf, isoWeekStart } from "@/lib/time/calendar";
import { lastCompleteWeek } from "@/lib/time/period";
import { openWeeklyExport } from "@/lib/export/weekly-export";
import { parseExportParams } from "@/lib/export/params";
import { drainQueue } from "@/lib/rollups/drain";

// ISO week edges: which week an event lands in depends on WAKEBOARD_TZ, including the
// weeks in which the clocks change; W53 exists in some years and not in others.

describe("ISO weeks as the export reads them", () => {
  it("knows 2026-W53 exists and 2025-W53 does not; 2024-12-30 is 2025-W01", () => {
    expect(isoWeekStart("2026-W53")).toBe("2026-12-28");
    expect(isoWeekStart("2025-W53")).toBeNull();
    expect(isoWeekOf("2024-12-30")).toBe("2025-W01");
    expect(isoWeekOf("2027-01-03")).toBe("2026-W53");
    const ok = parseExportParams({ week: "2026-W53" }, { tz: "UTC" });
    expect(ok.ok && ok.value.week).toBe("2026-W53");
    const bad = parseExportParams({ week: "2025-W53", grain: "teams" }, { tz: "UTC" });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.map((e) => e.path)).toEqual(["week", "grain"]);
  });

  it("defaults to the last complete week in the reporting zone", () => {
    // Monday 2026-11-30 02:00 UTC is still Sunday in New York: W48 is not complete there yet.
    const now = new Date("2026-11-30T02:00:00Z");
    expect(lastCompleteWeek({ tz: "UTC", now })).toBe("2026-W48");
    expect(lastCompleteWeek({ tz: "America/New_York", now })).toBe("2026-W47");
    const r = parseExportParams({}, { tz: "UTC", now: new Date("2025-01-05T12:00:00Z") });
    expect(r.ok && r.value).toEqual({ week: "2024-W52", grain: "team", bom: false });
  });
});

let database: TestDatabase | undefined;
afterEach(async () => {
  await database?.drop();
  database = undefined;
  delete process.env.WAKEBOARD_TZ;
});

/** Ingests one event per instant (tokens = 10^i so each lands visibly) and returns each week's total. */
async function weeksOf(tz: string, instants: string[], weeks: string[]): Promise<Record<string, number>> {
  process.env.WAKEBOARD_TZ = tz;
  database = await createTestDatabase();
  await (await db()).team.create({ data: { slug: "edge", name: "Edge" } });
  const events = instants.map((t, i) => ({ id: `edge-${i}`, timestamp: t, tool: "codex", team: "edge", input_tokens: 10 ** i }));
  const r = await ingest(events, { source: "test", now: new Date("2027-02-01T00:00:00Z") });
  expect(r.rejected).toEqual([]);
  await drainQueue();
  const out: Record<string, number> = {};
  for (const week of weeks) {
    const { rows } = readCsv(await exportText(await openWeeklyExport({ week, grain: "team", requester: { kind: "system" } })));
    out[week] = num(rows.find((x) => x.team === "edge")!.total_tokens)!;
  }
  return out;
}

describe("Sunday 23:59:59 and Monday 00:00:00 land in their own weeks", () => {
  it("in UTC, at the turn of the year into W53 and out of it", async () => {
    const got = await weeksOf(
      "UTC",
      ["2026-12-27T23:59:59Z", "2026-12-28T00:00:00Z", "2027-01-03T23:59:59Z", "2027-01-04T00:00:00Z"],
      ["2026-W52", "2026-W53", "2027-W01"],
    );
    expect(got).toEqual({ "2026-W52": 1, "2026-W53": 10 + 100, "2027-W01": 1000 });
  });

  it("in America/New_York on the Sundays the clocks change (8 March and 1 November 2026)", async () => {
    const got = await weeksOf(
      "America/New_York",
      [
        "2026-03-08T23:59:59-04:00", // Sunday, first day of EDT: still W10
        "2026-03-09T00:00:00-04:00", // Monday: W11
        "2026-11-01T23:59:59-05:00", // Sunday, first day of EST (25 hours long): still W44
        "2026-11-02T00:00:00-05:00", // Monday: W45
        "2026-11-01T01:30:00-04:00", // the first 01:30 of the repeated hour: W44
        "2026-11-01T01:30:00-05:00", // the second one: W44
      ],
      ["2026-W10", "2026-W11", "2026-W44", "2026-W45"],
    );
    expect(got).toEqual({ "2026-W10": 1, "2026-W11": 10, "2026-W44": 100 + 10_000 + 100_000, "2026-W45": 1000 });
  });

  it("in UTC the same New York instants fall one day later", async () => {
    // 2026-11-02T04:59:59Z is Sunday evening in New York but Monday in UTC.
    const got = await weeksOf("UTC", ["2026-11-02T04:59:59Z", "2026-11-01T23:59:59Z"], ["2026-W44", "2026-W45"]);
    expect(got).toEqual({ "2026-W44": 10, "2026-W45": 1 });
  });
});

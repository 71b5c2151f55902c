import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { readCsv } from "@/test/helpers/export-csv";
import { db } from "@/lib/db/client";
import { resetConfig } from "@/lib/config";
import { ingest } from "@/lib/ingest/ingest";
import { runScheduledExport, startExportScheduler } from "@/lib/export/schedule";
import { exportCron } from "@/lib/export/cron";
import { claimExportRun } from "@/lib/export/claim";
import { drainQueue } from "@/lib/rollups/drain";

// The schedule writes last week's files exactly once, however many times it is triggered
// and by however many instances; a failed run is retried by the next trigger.

const TZ = "Europe/Berlin";
// Monday 2026-11-30 06:00 in Berlin: the default schedule's time, for week 2026-W48.
const MONDAY = new Date("2026-11-30T05:00:00Z");
let database: TestDatabase;
let dir: string;

beforeAll(async () => {
  process.env.WAKEBOARD_TZ = TZ;
  database = await createTestDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "wakeboard-exports-"));
  await (await db()).team.create({ data: { slug: "infra", name: "Infra" } });
  const r = await ingest(
    [
      { id: "s1", timestamp: "2026-11-29T22:59:59Z", tool: "codex", team: "infra", input_tokens: 5 }, // Sunday 23:59:59 in Berlin
      { id: "s2", timestamp: "2026-11-29T23:00:00Z", tool: "codex", team: "infra", input_tokens: 7 }, // Monday: next week
    ],
    { source: "test", now: MONDAY },
  );
  expect(r.rejected).toEqual([]);
  await drainQueue();
});
afterAll(async () => {
  await database.drop();
  fs.rmSync(dir, { recursive: true, force: true });
  delete process.env.WAKEBOARD_TZ;
  delete process.env.WAKEBOARD_EXPORT_CRON;
  resetConfig();
});

describe("the scheduled weekly export", () => {
  it("writes each of last week's files once when triggered twice at once", async () => {
    const runs = await Promise.all([runScheduledExport({ now: MONDAY, dir }), runScheduledExport({ now: MONDAY, dir }), runScheduledExport({ now: MONDAY, dir })]);
    const all = runs.flat();
    expect(all.filter((r) => r.status === "written").map((r) => r.grain).sort()).toEqual(["team", "team-tool"]);
    expect(all.filter((r) => r.status === "already-claimed")).toHaveLength(4);
    expect(fs.readdirSync(dir).sort()).toEqual(["wakeboard-2026-W48-team-tool.csv", "wakeboard-2026-W48-team.csv"]);
    const { rows } = readCsv(fs.readFileSync(path.join(dir, "wakeboard-2026-W48-team.csv"), "utf8"));
    expect(rows.map((r) => [r.week, r.team, r.total_tokens])).toContainEqual(["2026-W48", "infra", "5"]);
    const recorded = await (await db()).exportRun.findMany({ orderBy: { grain: "asc" } });
    expect(recorded.map((r) => [r.week, r.grain, r.finishedAt !== null, r.path])).toEqual([
      ["2026-W48", "team", true, path.join(dir, "wakeboard-2026-W48-team.csv")],
      ["2026-W48", "team-tool", true, path.join(dir, "wakeboard-2026-W48-team-tool.csv")],
    ]);
  });

  it("does not write again on a later trigger in the same week", async () => {
    const before = fs.statSync(path.join(dir, "wakeboard-2026-W48-team.csv")).mtimeMs;
    const again = await runScheduledExport({ now: new Date(MONDAY.getTime() + 3 * 86_400_000), dir });
    expect(again.map((r) => r.status)).toEqual(["already-claimed", "already-claimed"]);
    expect(fs.statSync(path.join(dir, "wakeboard-2026-W48-team.csv")).mtimeMs).toBe(before);
  });

  it("gives a failed run back so the next trigger retries it, leaving no partial file", async () => {
    const blocked = path.join(dir, "not-a-folder");
    fs.writeFileSync(blocked, "a file where the folder should be");
    const next = new Date(MONDAY.getTime() + 7 * 86_400_000); // exports 2026-W49
    const failed = await runScheduledExport({ now: next, dir: blocked, grains: ["team"] });
    expect(failed[0]).toMatchObject({ week: "2026-W49", status: "failed" });
    expect(await (await db()).exportRun.findUnique({ where: { week_grain: { week: "2026-W49", grain: "team" } } })).toBeNull();
    const retried = await runScheduledExport({ now: next, dir, grains: ["team"] });
    expect(retried[0]).toMatchObject({ week: "2026-W49", status: "written" });
    expect(fs.readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("takes over a claim whose holder died an hour ago, never a live one", async () => {
    const prisma = await db();
    await prisma.exportRun.create({ data: { week: "2026-W40", grain: "team", startedAt: new Date(Date.now() - 5 * 60_000) } });
    expect(await claimExportRun("2026-W40", "team")).toBe(false);
    await prisma.exportRun.update({ where: { week_grain: { week: "2026-W40", grain: "team" } }, data: { startedAt: new Date(Date.now() - 61 * 60_000) } });
    expect(await claimExportRun("2026-W40", "team")).toBe(true);
    expect(await claimExportRun("2026-W40", "team")).toBe(false);
  });

  it("reads the cron expression in WAKEBOARD_TZ and refuses a bad one clearly", () => {
    expect(exportCron(new Date("2026-11-29T12:00:00Z")).next().toDate().toISOString()).toBe("2026-11-30T05:00:00.000Z");
    // After the clocks change in March, 06:00 Berlin is 04:00 UTC.
    expect(exportCron(new Date("2027-03-29T12:00:00Z")).next().toDate().toISOString()).toBe("2027-04-05T04:00:00.000Z");
    process.env.WAKEBOARD_EXPORT_CRON = "every monday";
    resetConfig();
    expect(() => startExportScheduler()).toThrow(/WAKEBOARD_EXPORT_CRON .*"every monday"/);
    process.env.WAKEBOARD_EXPORT_CRON = "off";
    resetConfig();
    expect(startExportScheduler().next()).toBeNull();
  });
});

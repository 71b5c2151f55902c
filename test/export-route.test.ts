import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { readCsv } from "@/test/helpers/export-csv";
import { closeDb, db } from "@/lib/db/client";
import { ingest } from "@/lib/ingest/ingest";
import { createKey } from "@/lib/keys/api-keys";
import { GET } from "@/app/api/v1/exports/weekly.csv/route";
import { drainQueue } from "@/lib/rollups/drain";

// The export over HTTP with API keys (sessions are driven in e2e/export.spec.ts), and from the CLI.

let database: TestDatabase;
const keys: Record<string, string> = {};

beforeAll(async () => {
  database = await createTestDatabase();
  const prisma = await db();
  const org = await prisma.team.create({ data: { slug: "org", name: "Org" } });
  const a = await prisma.team.create({ data: { slug: "alpha", name: "Alpha", parentId: org.id } });
  await prisma.team.create({ data: { slug: "beta", name: "Beta", parentId: org.id } });
  await prisma.person.create({ data: { email: "ann@example.com", name: "=Ann", teamId: a.id, memberships: { create: { teamId: a.id, validFrom: new Date("2026-01-01") } } } });
  const r = await ingest(
    [
      { id: "r1", timestamp: "2026-11-18T10:00:00Z", tool: "codex", user: "ann@example.com", input_tokens: 40, output_tokens: 2 },
      { id: "r2", timestamp: "2026-11-18T10:00:00Z", tool: "claude-code", team: "beta", input_tokens: 90 },
    ],
    { source: "test", now: new Date("2026-11-29T00:00:00Z") },
  );
  expect(r.rejected).toEqual([]);
  await drainQueue();
  keys.export = (await createKey({ name: "export", scopes: ["export"], actor: "test" })).secret;
  keys.read = (await createKey({ name: "read", scopes: ["read", "ingest"], actor: "test" })).secret;
  keys.alpha = (await createKey({ name: "alpha export", scopes: ["export"], teamId: a.id, actor: "test" })).secret;
});
afterAll(() => database.drop());

async function get(query: string, key?: string): Promise<Response> {
  const req = new NextRequest(`http://localhost/api/v1/exports/weekly.csv${query}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  return GET(req, { params: Promise.resolve({}) });
}

describe("GET /api/v1/exports/weekly.csv", () => {
  it("streams the team grain as a named, uncached CSV download to an export key", async () => {
    const res = await get("?week=2026-W47&grain=team", keys.export);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8; header=present");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="wakeboard-2026-W47-team.csv"');
    expect(res.headers.get("cache-control")).toBe("no-store");
    const { rows } = readCsv(await res.text());
    expect(Object.fromEntries(rows.map((r) => [r.team, r.total_tokens]))).toMatchObject({ alpha: "42", beta: "90" });
  });

  it("adds a BOM with ?bom=1 and serves team × tool", async () => {
    const res = await get("?week=2026-w47&grain=team-tool&bom=1", keys.export);
    expect(res.headers.get("content-disposition")).toContain("wakeboard-2026-W47-team-tool.csv");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const { rows } = readCsv(new TextDecoder().decode(bytes));
    expect(rows.map((r) => `${r.team}/${r.tool}`).sort()).toEqual(["alpha/codex", "beta/claude-code"]);
  });

  it("answers 400 naming each bad parameter", async () => {
    const res = await get("?week=2025-W53&grain=people", keys.export);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string; details: { path: string }[] } };
    expect(body.error.code).toBe("bad_request");
    expect(body.error.message).toMatch(/week 2025-W53 does not exist.*grain must be "team", "team-tool" or "person"/);
    expect(body.error.details.map((d) => d.path)).toEqual(["week", "grain"]);
    expect((await get("?week=48", keys.export)).status).toBe(400);
  });

  it("never gives an API key per-person rows", async () => {
    const res = await get("?week=2026-W47&grain=person", keys.export);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/API keys never receive per-person data/);
  });

  it("needs the export scope, and credentials at all", async () => {
    expect((await get("?week=2026-W47", keys.read)).status).toBe(403);
    expect((await get("?week=2026-W47", "wkb_not_a_key")).status).toBe(401);
  });

  it("limits a key restricted to a team to that team", async () => {
    const { rows } = readCsv(await (await get("?week=2026-W47", keys.alpha)).text());
    expect(rows.map((r) => r.team)).toEqual(["alpha"]);
  });

  it("defaults to the last complete week and the team grain", async () => {
    const res = await get("", keys.export);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/wakeboard-\d{4}-W\d{2}-team\.csv/);
  });
});

describe("npm run wakeboard -- export weekly", () => {
  it("writes the named file into --out, prints CSV to stdout without it, and exits 1 with one line on a bad week", async () => {
    await closeDb(); // the embedded database admits one process: hand it to the CLI
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wakeboard-cli-export-"));
    const env = { ...process.env, LOG_LEVEL: "silent" };
    const cli = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "scripts/cli/main.ts", ...args], { env, encoding: "utf8", cwd: path.resolve(import.meta.dirname, "..") });

    const written = cli("export", "weekly", "--week", "2026-W47", "--grain", "person", "--out", dir);
    expect(written.stderr).toMatch(/wrote 2 rows/);
    expect(written.status).toBe(0);
    const file = path.join(dir, "wakeboard-2026-W47-person.csv");
    expect(written.stdout.trim()).toBe(file);
    const { rows } = readCsv(fs.readFileSync(file, "utf8"));
    expect(rows.map((r) => [r.team, r.person_email, r.person_name, r.total_tokens])).toEqual([
      ["beta", "", "", "90"],
      ["alpha", "ann@example.com", "'=Ann", "42"],
    ]);

    const piped = cli("export", "weekly", "--week", "2026-W47", "--grain", "team-tool");
    expect(piped.status).toBe(0);
    expect(readCsv(piped.stdout).header).toContain("tool");

    const bad = cli("export", "weekly", "--week", "2026-W60");
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim().split("\n")).toEqual(["wakeboard export weekly: --week 2026-W60 does not exist: that year has no such ISO week"]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

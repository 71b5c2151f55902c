import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { post, startServer, type TestServer, SERVE_PATHS } from "@/test/helpers/http";
import { db } from "@/lib/db/client";
import { createKey } from "@/lib/keys/api-keys";
import { csvRecordToEvent, importEvents } from "@/lib/ingest/import-stream";
import { drainQueue } from "@/lib/rollups/drain";

// Bulk import (DESIGN.md §4.3): JSONL and CSV, streamed in chunks through ingest().
describe.each(SERVE_PATHS)("%s", (servePath) => {
  let database: TestDatabase;
  let server: TestServer;
  let key: string;
  let url: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startServer({}, servePath);
    url = `${server.url}/api/v1/import`;
    key = (await createKey({ name: "import", scopes: ["ingest"], actor: "test" })).secret;
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  const ts = (i: number) => new Date(Date.UTC(2026, 10, 20, 0, 0, i)).toISOString();

  async function totals() {
    await drainQueue();
    const prisma = await db();
    const [e] = await prisma.$queryRaw<{ n: number; tokens: number }[]>`SELECT count(*)::int AS n, coalesce(sum(input_tokens + output_tokens), 0)::float8 AS tokens FROM usage_events`;
    const [r] = await prisma.$queryRaw<{ n: number; tokens: number }[]>`SELECT coalesce(sum(events), 0)::int AS n, coalesce(sum(input_tokens + output_tokens), 0)::float8 AS tokens FROM daily_usage`;
    return { events: e, rollup: r };
  }

  describe("POST /api/v1/import", () => {
    it("imports JSONL and reports rejected lines by line number", async () => {
      const lines = [
        JSON.stringify({ id: "j-1", timestamp: ts(1), tool: "codex", input_tokens: 10 }),
        "",
        JSON.stringify({ id: "j-2", timestamp: ts(2), tool: "codex", input_tokens: -1 }),
        "{broken",
        JSON.stringify({ id: "j-3", timestamp: ts(3), tool: "codex", output_tokens: 5 }),
      ];
      const a = await post(url, lines.join("\n") + "\n", { key, type: "application/x-ndjson" });
      expect(a.status).toBe(200);
      expect(a.body).toMatchObject({ lines: 5, events: 4, accepted: 2, duplicates: 0, rejected: 2 });
      expect(a.body.rejectedLines).toEqual([
        { line: 3, id: "j-2", errors: [{ path: "input_tokens", message: "must not be negative" }] },
        { line: 4, errors: [{ path: "", message: expect.stringMatching(/not valid JSON/) }] },
      ]);
      // Importing the same file again adds nothing.
      const again = await post(url, lines.join("\n"), { key, type: "application/x-ndjson" });
      expect(again.body).toMatchObject({ accepted: 0, duplicates: 2, rejected: 2 });
    });

    it("imports CSV with a header row, empty cells absent, attributes as columns", async () => {
      const csv = [
        "id,timestamp,tool,team,user,input_tokens,output_tokens,cost_usd,attributes.repo",
        `c-1,${ts(10)},claude-code,payments,ada@example.com,100,20,0.5,web`,
        `c-2,${ts(11)},claude-code,,,"1,000",,,`,
        `"c-3","${ts(12)}","gemini-cli","payments","","7","",,`,
      ].join("\r\n");
      const a = await post(url, csv, { key, type: "text/csv" });
      expect(a.status).toBe(200);
      expect(a.body).toMatchObject({ events: 3, accepted: 2, rejected: 1 });
      expect(a.body.rejectedLines).toEqual([{ line: 3, id: "c-2", errors: [{ path: "input_tokens", message: expect.stringMatching(/number/) }] }]);
      const row = await (await db()).usageEvent.findUniqueOrThrow({ where: { eventId: "c-1" }, include: { team: true } });
      expect(row).toMatchObject({ inputTokens: 100n, outputTokens: 20n, attributes: { repo: "web" }, team: { slug: "payments" }, source: "import" });
    });

    it("answers 415 to other content types and 401 to a wrong key", async () => {
      expect((await post(url, "x", { key, type: "text/plain" })).status).toBe(415);
      expect((await post(url, "x", { key: key.slice(0, -2), type: "text/csv" })).status).toBe(401);
      // Without any credentials the route asks for a session, which needs Next's request
      // context: checked against the production server only.
      if (process.env.WAKEBOARD_TEST_APP === "next") expect((await post(url, "x", { type: "text/csv" })).status).toBe(401);
    });

    it("takes the format from ?format= as well", async () => {
      const a = await post(`${url}?format=jsonl`, JSON.stringify({ id: "q-1", timestamp: ts(20), tool: "codex" }), { key, type: "application/octet-stream" });
      expect(a.body).toMatchObject({ accepted: 1 });
    });
  });

  // Below the HTTP layer: the same on both paths, so run once.
  describe.runIf(servePath === "next-route")("importEvents", () => {
    it("streams a large file in chunks; events and rollups agree, and a re-run changes nothing", async () => {
      const n = 2500;
      async function* file() {
        for (let i = 0; i < n; i += 100) {
          yield Array.from({ length: 100 }, (_, j) => JSON.stringify({ id: `big-${i + j}`, timestamp: ts((i + j) % 3000), tool: "codex", input_tokens: 3, output_tokens: 1 }) + "\n").join("");
        }
      }
      const before = await totals();
      const chunks: number[] = [];
      const r = await importEvents(file(), "jsonl", { chunkSize: 1000, onChunk: (x) => chunks.push(x.events) });
      expect(r).toMatchObject({ events: n, accepted: n, rejected: 0 });
      expect(chunks).toEqual([1000, 2000, 2500]);
      const after = await totals();
      expect(after.events.n - before.events.n).toBe(n);
      expect(after.events.tokens - before.events.tokens).toBe(4 * n);
      expect(after.rollup).toEqual(after.events);
      const again = await importEvents(file(), "jsonl", {});
      expect(again).toMatchObject({ accepted: 0, duplicates: n });
      expect(await totals()).toEqual(after);
    });

    it("reads CSV from a byte stream split anywhere, with a BOM", async () => {
      const text = "\ufeffid,timestamp,tool\nb-1," + ts(30) + ",codex\nb-2," + ts(31) + ",codex\n";
      const bytes = Buffer.from(text);
      const r = await importEvents(Readable.from([bytes.subarray(0, 7), bytes.subarray(7, 40), bytes.subarray(40)]), "csv", {});
      expect(r).toMatchObject({ events: 2, accepted: 2 });
    });

    it("turns CSV cells into native fields", () => {
      expect(csvRecordToEvent({ id: "x", input_tokens: "12", model: "", attributes: '{"a":1}', "attributes.b": "two" }).value).toEqual({
        id: "x",
        input_tokens: 12,
        attributes: { a: 1, b: "two" },
      });
      expect(csvRecordToEvent({ attributes: "{" }).error?.path).toBe("attributes");
    });
  });

  describe.runIf(servePath === "next-route")("the CLI", () => {
    it("imports a file and prints the report; exit 1 with one line on an unknown format", () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wakeboard-import-"));
      const file = path.join(dir, "events.jsonl");
      fs.writeFileSync(file, [{ id: "cli-1", timestamp: ts(40), tool: "codex" }, { id: "cli-2", timestamp: "nope", tool: "codex" }].map((e) => JSON.stringify(e)).join("\n"));
      const env = { ...process.env, DATABASE_URL: database.url ?? "", LOG_LEVEL: "silent" };
      const cli = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "scripts/cli/main.ts", ...args], { env, encoding: "utf8", cwd: path.resolve(import.meta.dirname, "..") });
      if (!database.url) return; // the embedded database is held by this process
      const ok = cli("import", file);
      expect(ok.status).toBe(0);
      expect(ok.stdout).toMatch(/line 2 \(id cli-2\): timestamp must be an RFC 3339/);
      expect(ok.stdout.trim().split("\n").at(-1)).toMatch(/^2 events in 2 lines: 1 accepted, 0 duplicates, 1 rejected/);
      const bad = cli("import", path.join(dir, "events.txt"));
      expect(bad.status).toBe(1);
      expect(bad.stderr.trim().split("\n")).toHaveLength(1);
      fs.rmSync(dir, { recursive: true, force: true });
      // Two CLI processes, each compiling TypeScript at start: slow on a loaded machine.
    }, 180_000);
  });
});

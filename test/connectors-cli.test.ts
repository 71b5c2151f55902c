import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { closeDb, db } from "@/lib/db/client";
import { resetConfig } from "@/lib/config";
import { CursorMock } from "@/test/mocks/cursor-server";

// `wakeboard connectors add|list|run|remove` as an admin runs them: the secret comes from the
// environment (never an argument) and is never printed; errors are one line and exit 1.

const exec = promisify(execFile);
let database: TestDatabase;
let mock: CursorMock;
const SECRET_KEY = "cli-test-secret-key-0123456789abcdefgh";

async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  await closeDb();
  try {
    const { stdout, stderr } = await exec(process.execPath, ["--import", "tsx", "scripts/cli/main.ts", ...args], { env: { ...process.env, WAKEBOARD_SECRET_KEY: SECRET_KEY, LOG_LEVEL: "silent", ...env } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

beforeAll(async () => {
  database = await createTestDatabase();
  process.env.WAKEBOARD_SECRET_KEY = SECRET_KEY;
  resetConfig();
  mock = await new CursorMock().start();
});
afterAll(async () => {
  await mock?.stop();
  await database?.drop();
});

describe("wakeboard connectors", () => {
  it("add takes the secret from the environment, list never shows it, remove removes", async () => {
    const noSecret = await cli(["connectors", "add", "--vendor", "cursor", "--name", "cur"]);
    expect(noSecret).toMatchObject({ code: 1 });
    expect(noSecret.stderr).toMatch(/WAKEBOARD_CONNECTOR_SECRET is empty/);

    const added = await cli(["connectors", "add", "--vendor", "cursor", "--name", "cur", "--base-url", mock.url, "--backfill-days", "3"], { WAKEBOARD_CONNECTOR_SECRET: mock.key });
    expect(added.code).toBe(0);
    expect(added.stdout + added.stderr).not.toContain(mock.key);

    const list = await cli(["connectors", "list"]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(`cur\tcursor\t\t${mock.url}`);
    expect(list.stdout).not.toContain(mock.key);

    // `connectors run` through the CLI: test/connectors-resume.test.ts (killed mid-run).
    const removed = await cli(["connectors", "remove", "cur"]);
    expect(removed).toMatchObject({ code: 0 });
    expect(await (await db()).connector.count()).toBe(0);
  }, 600_000); // four CLI processes, each starting tsx (about a minute each on a loaded machine)
});

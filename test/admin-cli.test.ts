import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { closeDb, db } from "@/lib/db/client";

// `wakeboard users …` and `wakeboard roster import` as a person runs them: exit codes, the
// one-line error on stderr, and what lands in the database.

const run = promisify(execFile);
let database: TestDatabase;
let dir: string;

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  await closeDb(); // the embedded database admits one process at a time
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "scripts/cli/main.ts", ...args], { env: { ...process.env, LOG_LEVEL: "silent" } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

beforeAll(async () => {
  database = await createTestDatabase();
  const prisma = await db();
  await prisma.team.create({ data: { slug: "alpha", name: "Alpha" } });
  await prisma.team.create({ data: { slug: "beta", name: "Beta" } });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "wakeboard-cli-"));
});
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await database?.drop();
});

describe("wakeboard users", () => {
  it("creates, lists and updates logins; the last admin stays", async () => {
    expect((await cli("users", "create", "--email", "Boss@Example.com", "--password", "long-enough", "--role", "admin")).stdout).toMatch(/boss@example.com .* is admin/);
    expect((await cli("users", "create", "--email", "m@example.com", "--password", "long-enough", "--role", "manager", "--manages", "alpha")).code).toBe(0);
    const list = await cli("users", "list");
    expect(list.stdout.trim().split("\n").map((l) => l.split("\t").slice(1, 4))).toEqual([
      ["boss@example.com", "admin", "-"],
      ["m@example.com", "manager", "alpha"],
    ]);
    const last = await cli("users", "update", "boss@example.com", "--role", "viewer");
    expect(last.code).toBe(1);
    expect(last.stderr).toBe("wakeboard users update: This is the last active admin: make someone else admin first.\n");
    expect((await cli("users", "update", "m@example.com", "--manages", "alpha,beta", "--disable")).stdout).toMatch(/is manager, disabled/);
    const bad = await cli("users", "update", "m@example.com", "--manages", "nope");
    expect(bad).toMatchObject({ code: 1, stderr: "wakeboard users update: Unknown team(s): nope\n" });
    const u = await (await db()).user.findUniqueOrThrow({ where: { email: "m@example.com" }, include: { managedTeams: true } });
    expect(u.disabledAt).not.toBeNull();
    expect(u.managedTeams).toHaveLength(2);
  });
});

describe("wakeboard roster import", () => {
  it("dry-runs, applies, reports bad lines with exit 1, and re-imports as a no-op", async () => {
    const file = path.join(dir, "roster.csv");
    fs.writeFileSync(file, "email,name,team,identities\nada@example.com,Ada,alpha,github:ada\nbad-line,Bad,alpha,\n");
    const dry = await cli("roster", "import", file, "--dry-run");
    expect(dry.code).toBe(1);
    expect(dry.stdout).toBe("would apply: 1 created, 0 moved, 0 updated, 0 unchanged, 1 rejected\n");
    expect(dry.stderr).toContain('line 3: bad-line: "bad-line" is not an email address');
    expect(await (await db()).person.count()).toBe(0);

    fs.writeFileSync(file, "email,name,team,identities\nada@example.com,Ada,alpha,github:ada\n");
    expect(await cli("roster", "import", file, "--effective", "2026-01-05")).toMatchObject({ code: 0, stdout: "applied: 1 created, 0 moved, 0 updated, 0 unchanged, 0 rejected\n" });
    expect((await cli("roster", "import", file)).stdout).toBe("applied: 0 created, 0 moved, 0 updated, 1 unchanged, 0 rejected\n");
    expect((await cli("roster", "import", path.join(dir, "missing.csv"))).stderr).toMatch(/^wakeboard roster import: cannot read .*missing.csv\n$/);
    expect((await cli("roster", "import", file, "--effective", "2026-02-30")).stderr).toBe("wakeboard roster import: --effective must be a date as YYYY-MM-DD\n");
  });
});

import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, serverUrl, type TestDatabase } from "@/test/helpers/database";

// `npm start` must stop when the process npm started gets SIGTERM or SIGINT (a supervisor,
// `kill <pid>`, Ctrl-C): no server left behind holding the embedded database and the port.
// Runs `npm start` itself, on a fresh embedded database without the demo seed (faster).

const root = path.resolve(import.meta.dirname, "..");
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "wakeboard-signals-"));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Whether something accepts connections on the port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = net.connect(port, "127.0.0.1");
    c.once("connect", () => (c.destroy(), resolve(true)));
    c.once("error", () => resolve(false));
  });
}

async function until(what: string, deadline: number, check: () => Promise<boolean>) {
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("npm start", () => {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`stops the server and frees the port and the database within 10 s of ${signal} to npm's pid`, async () => {
      const port = await freePort();
      const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: "127.0.0.1", WAKEBOARD_DATA_DIR: dataDir, WAKEBOARD_SEED_DEMO: "0", LOG_LEVEL: "warn" };
      delete env.DATABASE_URL;
      const npm = spawn("npm", ["start"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      npm.stdout!.on("data", (d) => (out += d));
      npm.stderr!.on("data", (d) => (out += d));
      const exited = new Promise<void>((resolve) => npm.once("exit", () => resolve()));
      try {
          await until(`npm start to answer:\n${out}`, Date.now() + 240_000, async () => {
        if (npm.exitCode !== null) throw new Error(`npm start exited early:\n${out}`);
        return fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.ok, () => false);
      });
      expect(fs.existsSync(path.join(dataDir, "pglite.lock"))).toBe(true);

        process.kill(npm.pid!, signal);
        const deadline = Date.now() + 10_000;
        await exited;
        await until("the port to be free", deadline, async () => !(await listening(port)));
        await until("the database lock to be released", deadline, async () => !fs.existsSync(path.join(dataDir, "pglite.lock")));
      } finally {
        // Never leave a server behind, whatever failed: the server holds the lock file's pid.
        if (npm.exitCode === null) npm.kill("SIGKILL");
        const lock = path.join(dataDir, "pglite.lock");
        const pid = fs.existsSync(lock) ? Number(fs.readFileSync(lock, "utf8").trim().split(/\s/)[0]) : 0;
        if (pid > 0 && pid !== process.pid) {
          try {
            process.kill(pid, "SIGKILL");
          } catch {
            // already gone
          }
        }
      }
    }, 300_000);
  }
});

/** The pids of a process's children (Linux: /proc/<pid>/task/<pid>/children). */
function childrenOf(pid: number): number[] {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

describe.skipIf(!serverUrl())("npm start with WAKEBOARD_WORKERS=2 on a server database", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.drop());

  it("serves from two processes on one port, replaces a worker that dies, and stops them all on SIGTERM", async () => {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: db.url, PORT: String(port), HOST: "127.0.0.1", WAKEBOARD_DATA_DIR: dataDir, WAKEBOARD_SEED_DEMO: "0", WAKEBOARD_WORKERS: "2", LOG_LEVEL: "info" };
    const npm = spawn("npm", ["start"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    npm.stdout!.on("data", (d) => (out += d));
    npm.stderr!.on("data", (d) => (out += d));
    const exited = new Promise<void>((resolve) => npm.once("exit", () => resolve()));
    try {
      // Ready: the banner is printed once every worker listens.
      await until(`the banner:\n${out}`, Date.now() + 240_000, async () => {
        if (npm.exitCode !== null) throw new Error(`npm start exited early:\n${out}`);
        return out.includes("Wakeboard is running at");
      });
      // npm → the primary (node, via sh's exec) → the two workers.
      const [primary] = childrenOf(npm.pid!);
      const workers = childrenOf(primary);
      expect(workers).toHaveLength(2);
      const listenLines = out.split("\n").filter((l) => l.includes('"msg":"listening"')).map((l) => JSON.parse(l) as { pid: number });
      expect(new Set(listenLines.map((l) => l.pid))).toEqual(new Set(workers));
      // Requests reach both (the kernel spreads connections; a new connection per request).
      const answers = await Promise.all(Array.from({ length: 20 }, () => fetch(`http://127.0.0.1:${port}/api/health`, { headers: { connection: "close" } }).then((r) => r.status)));
      expect(answers.every((s) => s === 200)).toBe(true);

      // A worker killed hard is replaced; the port keeps answering meanwhile.
      process.kill(workers[1], "SIGKILL");
      await until("a replacement worker", Date.now() + 60_000, async () => {
        const now = childrenOf(primary);
        return now.length === 2 && !now.includes(workers[1]);
      });
      await until("the replacement to listen", Date.now() + 60_000, async () => out.split('"msg":"listening"').length - 1 === 3);
      expect((await fetch(`http://127.0.0.1:${port}/api/health`)).status).toBe(200);

      const all = [primary, ...childrenOf(primary)];
      process.kill(npm.pid!, "SIGTERM");
      const deadline = Date.now() + 15_000;
      await exited;
      expect(npm.exitCode).toBe(0);
      await until("the port to be free", deadline, async () => !(await listening(port)));
      await until("every worker to be gone", deadline, async () => all.every((pid) => !fs.existsSync(`/proc/${pid}`)));
    } finally {
      if (npm.exitCode === null) npm.kill("SIGKILL");
      for (const pid of childrenOf(npm.pid!).flatMap((p) => [p, ...childrenOf(p)])) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    }
  }, 300_000);
});

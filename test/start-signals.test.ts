import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

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

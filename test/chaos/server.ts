import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn, type ChildProcess } from "node:child_process";

// A production server (`scripts/start.ts`, the build in NEXT_DIST_DIR or .next) as a child
// process on a given port and database, for the chaos suite: it can be SIGKILLed and started
// again. Ready when /api/health answers at all (200, or 503 while the database is away).

export interface ChaosServer {
  url: string;
  pid: number;
  kill(signal: NodeJS.Signals): Promise<void>;
}

const root = path.resolve(import.meta.dirname, "../..");
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "wakeboard-chaos-data-"));

let started = 0;

/** Where each server's JSON log goes (printed by the suite when something fails). */
export const logDir = dataDir;

export async function startServer(port: number, databaseUrl: string, env: Record<string, string> = {}): Promise<ChaosServer> {
  const logFile = fs.openSync(path.join(dataDir, `server-${port}-${++started}.log`), "w");
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: "127.0.0.1",
      NEXTAUTH_URL: `http://127.0.0.1:${port}`,
      NEXTAUTH_SECRET: "chaos-secret-0123456789abcdef",
      WAKEBOARD_DATA_DIR: dataDir,
      WAKEBOARD_SEED_DEMO: "0",
      WAKEBOARD_WORKERS: "1",
      WAKEBOARD_EXPORT_CRON: "off",
      DATABASE_CONNECT_TIMEOUT_MS: "3000",
      LOG_LEVEL: "warn",
      WAKEBOARD_METRICS_LISTEN: "",
      ...env,
    },
    stdio: ["ignore", logFile, logFile],
  });
  fs.closeSync(logFile);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server on port ${port} exited with ${child.exitCode}`);
    const up = await fetch(`${url}/api/health`).then(() => true, () => false);
    if (up) break;
    if (Date.now() > deadline) throw new Error(`the server on port ${port} did not start within 120 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    pid: child.pid!,
    kill: (signal) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill(signal);
      }),
  };
}

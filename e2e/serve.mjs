// Starts Wakeboard for the end-to-end tests exactly as a user would (`npm start`'s script),
// on a fresh database: a new database on the test server when one is configured, else a
// fresh embedded one. The demo org is seeded; its credentials land in E2E_DATA_DIR.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";

const dataDir = path.resolve(process.env.E2E_DATA_DIR ?? ".data/e2e");
fs.rmSync(dataDir, { recursive: true, force: true });
fs.mkdirSync(dataDir, { recursive: true });

const server = process.env.WAKEBOARD_TEST_SERVER_URL || process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
const env = { ...process.env, WAKEBOARD_DATA_DIR: dataDir, WAKEBOARD_SEED_DEMO: "1", WAKEBOARD_WORKERS: process.env.WAKEBOARD_WORKERS ?? "1", LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" };
let dropDb = async () => {};
if (server) {
  const host = new URL(server).hostname;
  if (!["localhost", "127.0.0.1", "::1", "[::1]"].includes(host)) throw new Error(`Refusing to run e2e against non-local database host ${host}`);
  const name = `wakeboard_e2e_${Date.now()}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  env.DATABASE_URL = url.toString();
  // Playwright may kill this process before it can clean up: e2e/global-teardown.ts drops
  // the database named here.
  fs.writeFileSync(path.join(dataDir, "e2e-database"), `${name}\n`);
  dropDb = async () => {
    const c = new pg.Client({ connectionString: server });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  };
} else {
  delete env.DATABASE_URL;
}

const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], { env, stdio: "inherit" });
const stop = () => child.kill("SIGTERM");
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
child.on("exit", async (code) => {
  await dropDb().catch(() => {});
  process.exit(code ?? 0);
});

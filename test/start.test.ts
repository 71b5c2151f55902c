import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import net from "node:net";
import { afterAll, describe, expect, it } from "vitest";

// `npm start` as a user runs it: a fresh embedded database, then a second start on the same
// folder. Needs a production build (npm test builds first; otherwise start builds one).

const root = path.resolve(import.meta.dirname, "..");
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "wakeboard-start-"));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

interface Started {
  child: ChildProcess;
  output: () => string;
  url: string;
  ms: number;
}

async function start(port: number): Promise<Started> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: "127.0.0.1", WAKEBOARD_DATA_DIR: dataDir, LOG_LEVEL: "info" };
  delete env.DATABASE_URL;
  delete env.NEXTAUTH_SECRET;
  delete env.WAKEBOARD_SEED_DEMO;
  const t0 = Date.now();
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${out}`);
    if (Date.now() - t0 > 300_000) throw new Error(`npm start did not answer within 300 s:\n${out}`);
    const ok = await fetch(`${url}/api/health`).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return { child, output: () => out, url, ms: Date.now() - t0 };
}

function stop(s: Started): Promise<number | null> {
  return new Promise((resolve) => {
    s.child.once("exit", (code) => resolve(code));
    s.child.kill("SIGTERM");
  });
}

/** Signs in through next-auth's credentials endpoint and returns the session cookie. */
async function signIn(url: string, email: string, password: string): Promise<string | null> {
  const csrf = await fetch(`${url}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookies = csrf.headers.getSetCookie().map((c) => c.split(";")[0]);
  const res = await fetch(`${url}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookies.join("; "), origin: url },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  const session = res.headers.getSetCookie().find((c) => c.startsWith("next-auth.session-token="));
  return session ? session.split(";")[0] : null;
}

/** Runs the curl command the banner printed, as a user would paste it. */
function runCurlLine(out: string): unknown {
  const lines = out.split("\n");
  const first = lines.findIndex((l) => l.trim().startsWith("curl -sS"));
  expect(first, out).toBeGreaterThan(-1);
  let end = first;
  while (lines[end].trimEnd().endsWith("\\")) end++;
  const command = lines.slice(first, end + 1).join("\n");
  const r = spawnSync("sh", ["-c", command], { encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

let running: Started | undefined;
afterAll(async () => {
  if (running && running.child.exitCode === null) await stop(running);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("npm start on an empty embedded database", () => {
  let login: { email: string; password: string };

  it("migrates, seeds the demo org once, prints the login and a key, and serves the login page", async () => {
    running = await start(await freePort());
    const out = running.output();
    const m = /Demo admin login:\s+(\S+)\s+\/\s+(\S+)/.exec(out);
    expect(m, out).not.toBeNull();
    login = { email: m![1], password: m![2] };
    expect(out).toMatch(/Demo API key \(ingest, read, export\):\s+wkb_[0-9A-Za-z]{38}/);
    expect(out).toContain("demo org seeded");
    expect(runCurlLine(out)).toMatchObject({ accepted: 1, duplicates: 0 });
    // The banner is one block after the start-up log lines: no JSON line inside it.
    const banner = out.slice(out.indexOf("Wakeboard is running at"), out.indexOf("(mode 0600)"));
    expect(banner.split("\n").filter((l) => l.trim().startsWith("{"))).toEqual([]);
    const page = await fetch(`${running.url}/login`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Sign in to Wakeboard");
    expect(fs.statSync(path.join(dataDir, "demo-credentials.json")).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(dataDir, "nextauth-secret")).mode & 0o777).toBe(0o600);
    console.info(`cold start (build present): ${running.ms} ms`);
  }, 300_000);

  it("lets the demo admin sign in with the printed credentials; a wrong password gets no session", async () => {
    expect(await signIn(running!.url, login.email, "wrong-password")).toBeNull();
    const cookie = await signIn(running!.url, login.email, login.password);
    expect(cookie).not.toBeNull();
    const home = await fetch(`${running!.url}/`, { headers: { cookie: cookie! }, redirect: "manual" });
    expect(home.status).toBe(200);
    expect(await home.text()).toContain("Demo Admin");
  });

  it("runs CLI commands through the running server (local channel), and refuses a second process opening the database", () => {
    const env: NodeJS.ProcessEnv = { ...process.env, WAKEBOARD_DATA_DIR: dataDir };
    delete env.DATABASE_URL;
    expect(fs.statSync(path.join(dataDir, "cli-channel.json")).mode & 0o777).toBe(0o600);
    const cli = (args: string[], extra: Record<string, string> = {}) =>
      spawnSync(process.execPath, ["--import", "tsx", "scripts/cli/main.ts", ...args], { cwd: root, env: { ...env, ...extra }, encoding: "utf8" });
    const teams = cli(["teams", "list"]);
    expect(teams.stderr).toBe("");
    expect(teams.status).toBe(0);
    expect(teams.stdout).toContain("infra");
    // What the Export page suggests: the weekly file, written by the server.
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "wakeboard-start-export-"));
    const exported = cli(["export", "weekly", "--out", outDir]);
    expect(exported.status, exported.stderr).toBe(0);
    const file = exported.stdout.trim();
    expect(file).toMatch(/wakeboard-\d{4}-W\d{2}-team\.csv$/);
    expect(fs.readFileSync(file, "utf8").split("\r\n")[0]).toMatch(/^week,team,team_path,headcount/);
    fs.rmSync(outDir, { recursive: true, force: true });
    const bad = cli(["export", "weekly", "--week", "2026-W99"]);
    expect([bad.status, bad.stderr.trim().split("\n").length]).toEqual([1, 1]);
    // Without the channel, a second process is refused with one clear line.
    const direct = cli(["teams", "list"], { WAKEBOARD_CLI_DIRECT: "1" });
    expect(direct.status).toBe(1);
    expect(direct.stderr.trim().split("\n")).toHaveLength(1);
    expect(direct.stderr).toMatch(/in use by another Wakeboard process \(pid \d+\)/);
  });

  it("stops gracefully on SIGTERM and releases the database", async () => {
    expect(await stop(running!)).toBe(0);
    expect(fs.existsSync(path.join(dataDir, "pglite.lock"))).toBe(false);
  });

  it("starts again without re-seeding, with the same login", async () => {
    running = await start(await freePort());
    const out = running.output();
    expect(out).not.toContain("seeding the demo org");
    expect(out).toContain(`Demo admin login:  ${login.email}  /  ${login.password}`);
    expect(await signIn(running.url, login.email, login.password)).not.toBeNull();
    // The printed curl line works on every start (a fresh event id each time).
    expect(runCurlLine(out)).toMatchObject({ accepted: 1, duplicates: 0 });
    console.info(`warm start: ${running.ms} ms`);
    expect(await stop(running)).toBe(0);
  }, 300_000);
});

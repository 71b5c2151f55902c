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
    expect(out).toContain("curl -sS");
    expect(out).toContain("demo org seeded");
    const page = await fetch(`${running.url}/login`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Sign in to Wakeboard");
    expect(fs.statSync(path.join(dataDir, "demo-credentials.json")).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(dataDir, "nextauth-secret")).mode & 0o777).toBe(0o600);
    console.info(`cold start (build present): ${running.ms} ms`);
  });

  it("lets the demo admin sign in with the printed credentials; a wrong password gets no session", async () => {
    expect(await signIn(running!.url, login.email, "wrong-password")).toBeNull();
    const cookie = await signIn(running!.url, login.email, login.password);
    expect(cookie).not.toBeNull();
    const home = await fetch(`${running!.url}/`, { headers: { cookie: cookie! }, redirect: "manual" });
    expect(home.status).toBe(200);
    expect(await home.text()).toContain("Demo Admin");
  });

  it("refuses a second process on the same embedded database with one clear line", () => {
    const env: NodeJS.ProcessEnv = { ...process.env, WAKEBOARD_DATA_DIR: dataDir };
    delete env.DATABASE_URL;
    const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/cli/main.ts", "teams", "list"], { cwd: root, env, encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/in use by another Wakeboard process \(pid \d+\)/);
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
    console.info(`warm start: ${running.ms} ms`);
    expect(await stop(running)).toBe(0);
  });
});

import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";

// The embedded demo keeps its generated secrets under .data/ (mode 0600) so that every
// start can print the same login and key, and sessions survive restarts.

export interface DemoCredentials {
  adminEmail: string;
  adminPassword: string;
  ingestKey?: string;
}

const file = (dataDir: string, name: string) => path.join(dataDir, name);

function writePrivate(p: string, content: string) {
  fs.mkdirSync(path.dirname(p), { recursive: true, mode: 0o700 });
  fs.writeFileSync(p, content, { mode: 0o600 });
  fs.chmodSync(p, 0o600);
}

/** NEXTAUTH_SECRET from the environment, else one generated once and kept under .data/. */
export function ensureAuthSecret(dataDir: string): string {
  if (process.env.NEXTAUTH_SECRET) return process.env.NEXTAUTH_SECRET;
  const p = file(dataDir, "nextauth-secret");
  if (!fs.existsSync(p)) writePrivate(p, randomBytes(32).toString("base64url"));
  return fs.readFileSync(p, "utf8").trim();
}

export function readDemoCredentials(dataDir: string): DemoCredentials | null {
  const p = file(dataDir, "demo-credentials.json");
  return fs.existsSync(p) ? (JSON.parse(fs.readFileSync(p, "utf8")) as DemoCredentials) : null;
}

export function writeDemoCredentials(dataDir: string, creds: DemoCredentials): void {
  writePrivate(file(dataDir, "demo-credentials.json"), JSON.stringify(creds, null, 2) + "\n");
}

import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig, settingsSchema } from "@/lib/config";

describe("configuration", () => {
  it("has sensible defaults with an empty environment (embedded database, UTC)", () => {
    const c = parseConfig({});
    expect(c).toMatchObject({ embedded: true, PORT: 3000, WAKEBOARD_TZ: "UTC", WAKEBOARD_RETENTION_DAYS: 730, WAKEBOARD_MIN_GROUP: 3, WAKEBOARD_STRICT_TEAMS: false });
    expect(c.WAKEBOARD_RATE_LIMIT).toEqual({ rate: 200, burst: 400 });
  });

  it.each([
    ["WAKEBOARD_TZ", "Mars/Olympus", /WAKEBOARD_TZ must be an IANA time zone/],
    ["PORT", "eighty", /PORT/],
    ["DATABASE_URL", "mysql://x", /DATABASE_URL must be a postgresql:\/\/ URL/],
    ["WAKEBOARD_RATE_LIMIT", "fast", /WAKEBOARD_RATE_LIMIT must be "RATE" or "RATE:BURST"/],
    ["WAKEBOARD_STRICT_TEAMS", "maybe", /WAKEBOARD_STRICT_TEAMS/],
    ["WAKEBOARD_OTLP_LOG_TOOLS", "codex,copilot", /WAKEBOARD_OTLP_LOG_TOOLS must list only claude-code, gemini-cli, codex/],
  ])("a bad %s stops start-up with one line naming it", (name, value, message) => {
    expect(() => parseConfig({ [name]: value })).toThrow(message);
    try {
      parseConfig({ [name]: value });
    } catch (e) {
      expect((e as Error).message).not.toContain("\n");
      expect((e as Error).message).toContain(name);
    }
  });

  it("requires the OIDC client when an issuer is set", () => {
    expect(() => parseConfig({ OIDC_ISSUER: "https://id.example.com" })).toThrow(/OIDC_CLIENT_ID and OIDC_CLIENT_SECRET/);
  });

  it("reads a rate without burst as burst = 2 × rate, and a real server URL as not embedded", () => {
    const c = parseConfig({ WAKEBOARD_RATE_LIMIT: "50", DATABASE_URL: "postgresql://u@db/x" });
    expect(c.WAKEBOARD_RATE_LIMIT).toEqual({ rate: 50, burst: 100 });
    expect(c.embedded).toBe(false);
  });

  it("lists every setting in the README's configuration table", () => {
    const readme = fs.readFileSync(path.resolve(import.meta.dirname, "../README.md"), "utf8");
    const rows = readme.split("\n").filter((l) => l.startsWith("| `"));
    const missing = Object.keys(settingsSchema.shape).filter((name) => !rows.some((r) => r.split("|")[1].includes(`\`${name}\``)));
    expect(missing).toEqual([]);
  });
});

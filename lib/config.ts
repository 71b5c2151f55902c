import { z } from "zod";
import path from "node:path";
import { isIP } from "node:net";
import os from "node:os";

// Every setting comes from the environment and is validated once; a bad value stops
// start-up with one line naming the variable (DESIGN.md §10).

const flag = z
  .enum(["0", "1", "true", "false", ""])
  .default("0")
  .transform((v) => v === "1" || v === "true");

const int = (def: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max).default(def);

const timeZone = z
  .string()
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, "must be an IANA time zone such as UTC or Europe/Berlin")
  .default("UTC");

const rateLimit = (def: string) =>
  z
    .string()
    .regex(/^\d+(:\d+)?$/, 'must be "RATE" or "RATE:BURST" in requests per second, e.g. 200:400')
    .default(def)
    .transform((v) => {
      const [rate, burst] = v.split(":").map(Number);
      return { rate, burst: burst ?? rate * 2 };
    });

function validProxy(entry: string): boolean {
  const [address, bits, extra] = entry.split("/");
  const family = isIP(address);
  if (!family || extra !== undefined) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

/** Every setting Wakeboard reads from the environment (the README's configuration table lists each one). */
export const settingsSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL (leave it unset for the embedded database)")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  DATABASE_POOL_SIZE: int(10, 1, 200),
  DATABASE_CONNECT_TIMEOUT_MS: int(5000, 100, 120_000),
  DATABASE_STATEMENT_TIMEOUT_MS: int(30_000, 100, 3_600_000),
  WAKEBOARD_DATA_DIR: z.string().default(".data"),
  PORT: int(3000, 1, 65535),
  HOST: z.string().default("0.0.0.0"),
  WAKEBOARD_TZ: timeZone,
  WAKEBOARD_RETENTION_DAYS: int(730, 0),
  WAKEBOARD_ROLLUP_RETENTION_DAYS: int(0, 0),
  WAKEBOARD_OTLP_SERIES_TTL_DAYS: int(30, 1),
  WAKEBOARD_STRICT_TEAMS: flag,
  WAKEBOARD_MIN_GROUP: int(3, 1, 1000),
  WAKEBOARD_RATE_LIMIT: rateLimit("200:400"),
  WAKEBOARD_READ_RATE_LIMIT: rateLimit("20:40"),
  WAKEBOARD_EXPORT_RATE_LIMIT: rateLimit("2:20"),
  // Issue 11: reverse proxies whose X-Forwarded-For is believed (addresses or CIDR ranges,
  // comma-separated); from anyone else the connection's own address is the client's.
  WAKEBOARD_TRUSTED_PROXIES: z
    .string()
    .default("")
    .transform((v) => v.split(",").map((s) => s.trim()).filter(Boolean))
    .refine((list) => list.every(validProxy), 'must list IP addresses or CIDR ranges, e.g. "10.0.0.0/8,127.0.0.1"'),
  // 0 hands the ingest endpoints to Next's router too (for comparison; lib/http/fast-lane.ts).
  WAKEBOARD_FAST_LANE: z
    .enum(["0", "1"])
    .default("1")
    .transform((v) => v === "1"),
  // Server processes behind the one port (node:cluster). Unset: 1 on the embedded database
  // (PGlite allows one process), the number of cores on a server database.
  WAKEBOARD_WORKERS: z.coerce.number().int().min(1).max(64).optional().or(z.literal("").transform(() => undefined)),
  WAKEBOARD_SEED_DEMO: z.enum(["auto", "0", "1"]).default("auto"),
  WAKEBOARD_EXPORT_CRON: z.string().default("0 6 * * 1"),
  WAKEBOARD_EXPORT_DIR: z.string().optional(),
  NEXTAUTH_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  NEXTAUTH_URL: z.url("must be the public URL, e.g. https://wakeboard.example.com").optional(),
  OIDC_ISSUER: z.url("must be the issuer URL of your OIDC provider").optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  WAKEBOARD_OIDC_DEFAULT_ROLE: z.enum(["admin", "manager", "viewer"]).default("viewer"),
  WAKEBOARD_OIDC_ALLOWED_DOMAINS: z
    .string()
    .default("")
    .transform((v) => v.split(",").map((d) => d.trim().toLowerCase()).filter(Boolean)),
  WAKEBOARD_OTLP_LOG_TOOLS: z
    .string()
    .default("")
    .transform((v) => v.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean))
    .pipe(z.array(z.enum(["claude-code", "gemini-cli", "codex"], { error: "must list only claude-code, gemini-cli, codex" }))),
  // Issue 15: alerts, delivery, the Monday digest, adoption cohorts.
  WAKEBOARD_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example.com:587")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  WAKEBOARD_MAIL_FROM: z.string().min(3).default("Wakeboard <wakeboard@localhost>"),
  WAKEBOARD_ALERTS_INTERVAL_S: int(60, 0, 86_400),
  WAKEBOARD_DELIVERY_ATTEMPTS: int(6, 1, 50),
  WAKEBOARD_DELIVERY_BACKOFF_S: int(30, 0, 86_400),
  WAKEBOARD_DIGEST: z.enum(["on", "off"]).default("on"),
  WAKEBOARD_COHORT_THRESHOLDS: z
    .string()
    .regex(/^\d+,\d+$/, 'must be "MODERATE,HEAVY": the fewest active days per week that count as moderate and as heavy, e.g. 2,4')
    .default("2,4")
    .transform((v) => v.split(",").map(Number) as [number, number])
    .refine(([m, h]) => m >= 2 && h > m && h <= 7, "must be 2 ≤ MODERATE < HEAVY ≤ 7 (light is 1 active day a week or more)"),
  // issue 14: vendor connectors. The key that seals their credentials (AES-256-GCM); any
  // string of 32+ characters (e.g. `openssl rand -base64 32`). Without it connectors cannot be added.
  WAKEBOARD_SECRET_KEY: z.string().min(32, "must be at least 32 characters (e.g. `openssl rand -base64 32`)").optional().or(z.literal("").transform(() => undefined)),
  WAKEBOARD_CONNECTORS: z.enum(["on", "off"]).default("on"),
  WAKEBOARD_CONNECTOR_MAX_WAIT_S: int(300, 1, 3600),
  WAKEBOARD_METRICS_LISTEN: z
    .string()
    .regex(/^(\S+:)?\d{1,5}$/, 'must be "PORT" or "HOST:PORT", e.g. 127.0.0.1:9464')
    .optional()
    .or(z.literal("").transform(() => undefined)),
  WAKEBOARD_GITHUB_WEBHOOK_SECRET: z.string().min(16, "must be at least 16 characters (the secret set on the GitHub webhook)").optional().or(z.literal("").transform(() => undefined)),
  WAKEBOARD_GITHUB_RULES: z.string().optional().or(z.literal("").transform(() => undefined)),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type Config = Omit<z.infer<typeof settingsSchema>, "WAKEBOARD_WORKERS"> & { dataDir: string; embedded: boolean; WAKEBOARD_WORKERS: number };

export class ConfigError extends Error {}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = settingsSchema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0];
    const name = String(issue.path[0] ?? "environment");
    throw new ConfigError(`Invalid configuration: ${name} ${issue.message} (got ${JSON.stringify(env[name] ?? "")})`);
  }
  const c = result.data;
  if (c.OIDC_ISSUER && !(c.OIDC_CLIENT_ID && c.OIDC_CLIENT_SECRET)) {
    throw new ConfigError("Invalid configuration: OIDC_ISSUER is set, so OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are required");
  }
  const embedded = !c.DATABASE_URL;
  if (embedded && (c.WAKEBOARD_WORKERS ?? 1) > 1) {
    throw new ConfigError("Invalid configuration: WAKEBOARD_WORKERS must be 1 with the embedded database (it allows one process); set DATABASE_URL to run several");
  }
  const workers = c.WAKEBOARD_WORKERS ?? (embedded ? 1 : os.availableParallelism());
  return { ...c, dataDir: path.resolve(c.WAKEBOARD_DATA_DIR), embedded, WAKEBOARD_WORKERS: workers };
}

let cached: Config | undefined;

/** The process's configuration, parsed on first use. */
export function config(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}

/** Tests change the environment between cases; this forgets the parsed copy. */
export function resetConfig(): void {
  cached = undefined;
}

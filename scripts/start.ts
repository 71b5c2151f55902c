import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import next from "next";
import { ConfigError, config } from "@/lib/config";
import { closeDb, withSchemaAdapter } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { isEmpty, seedDemo, DEMO_ADMIN } from "@/lib/seed/demo";
import { createKey } from "@/lib/keys/api-keys";
import { ensureAuthSecret, readDemoCredentials, writeDemoCredentials, type DemoCredentials } from "@/lib/demo-credentials";
import { log } from "@/lib/log";
import { startExportScheduler } from "@/lib/export/schedule";
import { startInsightsJob } from "@/lib/insights/job";
import { startConnectorScheduler } from "@/lib/connectors/scheduler";
import { startGithubWorker } from "@/lib/github/worker";
import { requestListener } from "@/lib/http/request-listener";
import { startMetricsListener } from "@/lib/metrics/listen";
import { startRetentionSchedule } from "@/lib/retention/retention";
import { ensureAggregator, stopAggregator } from "@/lib/rollups/aggregator";
import { openCliChannel } from "@/scripts/cli/channel";

// `npm start`: build if needed → migrate → seed the demo org on an empty embedded database →
// serve Next.js in this same process (PGlite allows one process only) → stop gracefully.

const root = process.cwd();

function ensureBuild() {
  if (fs.existsSync(path.join(root, process.env.NEXT_DIST_DIR || ".next", "BUILD_ID")) && process.env.WAKEBOARD_REBUILD !== "1") return;
  log.info("no production build found: running `next build` (a few minutes the first time)");
  const r = spawnSync(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (r.status !== 0) throw new Error("next build failed");
}

async function prepareDatabase(): Promise<DemoCredentials | null> {
  const c = config();
  const applied = await withSchemaAdapter(applyMigrations);
  if (applied.length) log.info({ applied }, "migrations applied");
  const seedWanted = c.WAKEBOARD_SEED_DEMO === "1" || (c.WAKEBOARD_SEED_DEMO === "auto" && c.embedded);
  let creds = readDemoCredentials(c.dataDir);
  if (seedWanted && (await isEmpty())) {
    log.info("empty database: seeding the demo org (once)");
    const adminPassword = randomBytes(9).toString("base64url");
    const r = await seedDemo({ adminPassword, log: (m) => log.info(m) });
    log.info(r, "demo org seeded");
    const key = await createKey({ name: "demo ingest key", scopes: ["ingest", "read", "export"], teamId: null, actor: "demo-seed" });
    creds = { adminEmail: DEMO_ADMIN, adminPassword, ingestKey: key.secret };
    writeDemoCredentials(c.dataDir, creds);
  }
  return seedWanted ? creds : null;
}

function banner(url: string, creds: DemoCredentials | null) {
  const lines = [``, `  Wakeboard is running at ${url}`, ``];
  if (creds) {
    lines.push(
      `  Demo admin login:  ${creds.adminEmail}  /  ${creds.adminPassword}`,
      `  (also manager@wakeboard.local and viewer@wakeboard.local, same password)`,
    );
    if (creds.ingestKey) {
      lines.push(
        `  Demo API key (ingest, read, export):  ${creds.ingestKey}`,
        ``,
        `  Send an event:`,
        `  curl -sS ${url}/api/v1/events -H 'Authorization: Bearer ${creds.ingestKey}' \\`,
        `    -H 'Content-Type: application/json' \\`,
        // A fresh id on every start: a replayed id with a new timestamp would be a conflict (400).
        `    -d '{"id":"hello-${randomUUID().slice(0, 8)}","timestamp":"${new Date().toISOString().replace(/\.\d+Z$/, "Z")}","tool":"claude-code","team":"infra","input_tokens":1200,"output_tokens":80}'`,
      );
    }
    lines.push(``, `  Demo credentials are kept in ${path.join(config().WAKEBOARD_DATA_DIR, "demo-credentials.json")} (mode 0600).`);
  }
  lines.push(``);
  process.stdout.write(lines.join("\n") + "\n");
}

async function main() {
  const started = Date.now();
  const c = config();
  process.env.NEXTAUTH_SECRET = ensureAuthSecret(c.dataDir);
  const publicUrl = c.NEXTAUTH_URL ?? `http://localhost:${c.PORT}`;
  process.env.NEXTAUTH_URL ??= publicUrl;
  ensureBuild();
  const creds = await prepareDatabase();

  const app = next({ dev: false, dir: root, hostname: c.HOST, port: c.PORT });
  await app.prepare();
  const handle = app.getRequestHandler();
  // With the embedded database, CLI commands run in this process (scripts/cli/channel.ts).
  let channel: ReturnType<typeof openCliChannel> | null = null;
  const listener = requestListener(handle, { fastLane: c.WAKEBOARD_FAST_LANE });
  const server = http.createServer((req, res) => channel?.handle(req, res) || listener(req, res));
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(c.PORT, c.HOST, resolve));
  if (c.embedded) channel = openCliChannel(c.dataDir, c.PORT);
  log.info({ url: publicUrl, ms: Date.now() - started, database: c.embedded ? "embedded" : "postgresql" }, "listening");
  const exports = startExportScheduler();
  const insights = startInsightsJob();
  const connectors = startConnectorScheduler();
  const github = startGithubWorker();
  const retention = startRetentionSchedule();
  const metricsServer = c.WAKEBOARD_METRICS_LISTEN ? await startMetricsListener(c.WAKEBOARD_METRICS_LISTEN) : null;
  // Drains the rollup queue while this instance leads; alerts are evaluated after each drain.
  ensureAggregator().onDrained(() => insights.afterDrain());
  // The banner comes last, after the start-up log lines, as one block.
  log.flush();
  banner(publicUrl, creds);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down: finishing open requests");
    channel?.close();
    const force = setTimeout(() => {
      log.warn("requests still open after 10 s; exiting");
      process.exit(1);
    }, 10_000);
    force.unref();
    metricsServer?.close();
    server.close(async () => {
      await exports.stop().catch((e) => log.error({ err: e }, "stopping the export schedule failed"));
      await retention.stop().catch((e) => log.error({ err: e }, "stopping retention failed"));
      await insights.stop().catch((e) => log.error({ err: e }, "stopping the insights job failed"));
      await connectors.stop().catch((e) => log.error({ err: e }, "stopping the connector schedule failed"));
      await github.stop().catch((e) => log.error({ err: e }, "stopping the GitHub worker failed"));
      await stopAggregator().catch((e) => log.error({ err: e }, "stopping the aggregator failed"));
      await closeDb().catch((e) => log.error({ err: e }, "closing the database failed"));
      log.info("stopped");
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((e) => {
  process.stderr.write(`wakeboard: ${e instanceof ConfigError ? e.message : ((e as Error).stack ?? e)}\n`);
  closeDb().finally(() => process.exit(1));
});

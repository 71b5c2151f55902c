import cluster from "node:cluster";
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
import { serveClusterMetrics } from "@/lib/metrics/render";
import { startRetentionSchedule } from "@/lib/retention/retention";
import { ensureAggregator, stopAggregator } from "@/lib/rollups/aggregator";
import { openCliChannel } from "@/scripts/cli/channel";

// `npm start`: build if needed → migrate → seed the demo org on an empty embedded database →
// serve Next.js → stop gracefully on SIGTERM/SIGINT.
//
// With one worker (always on the embedded database: PGlite allows one process) this process
// serves. With WAKEBOARD_WORKERS=N > 1 it becomes the primary of a node:cluster: it prepares
// the database once, then forks N server processes sharing the port; one of them (the jobs
// worker) also runs the scheduled jobs and the rollup aggregator, each still leader-elected
// across instances. A worker that dies is replaced; SIGTERM stops them all.

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

const READY = "wakeboard:worker-ready";
const JOBS_ENV = "WAKEBOARD_WORKER_JOBS";

/** Serves on the port (shared with the other workers in a cluster); `jobs`: also runs the schedules. */
async function serve(opts: { jobs: boolean; onStopped: () => void }): Promise<void> {
  const c = config();
  const started = Date.now();
  const app = next({ dev: false, dir: root, hostname: c.HOST, port: c.PORT });
  await app.prepare();
  const handle = app.getRequestHandler();
  // With the embedded database, CLI commands run in this process (scripts/cli/channel.ts).
  let channel: ReturnType<typeof openCliChannel> | null = null;
  const listener = requestListener(handle, { fastLane: c.WAKEBOARD_FAST_LANE });
  const server = http.createServer((req, res) => channel?.handle(req, res) || listener(req, res));
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(c.PORT, c.HOST, resolve));
  if (c.embedded) channel = openCliChannel(c.dataDir, c.PORT);
  log.info({ ms: Date.now() - started, database: c.embedded ? "embedded" : "postgresql", worker: cluster.worker?.id }, "listening");
  const jobs = opts.jobs ? startJobs() : null;
  // In a cluster the primary serves WAKEBOARD_METRICS_LISTEN (it sees every worker).
  const metricsServer = c.WAKEBOARD_METRICS_LISTEN && cluster.isPrimary ? await startMetricsListener(c.WAKEBOARD_METRICS_LISTEN) : null;

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, worker: cluster.worker?.id }, "shutting down: finishing open requests");
    channel?.close();
    const force = setTimeout(() => {
      log.warn("requests still open after 10 s; exiting");
      process.exit(1);
    }, 10_000);
    force.unref();
    metricsServer?.close();
    server.close(async () => {
      await jobs?.stop();
      await closeDb().catch((e) => log.error({ err: e }, "closing the database failed"));
      opts.onStopped();
    });
    server.closeIdleConnections();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

/** The scheduled jobs and the aggregator: each elects one leader per database. */
function startJobs() {
  const exports = startExportScheduler();
  const insights = startInsightsJob();
  const connectors = startConnectorScheduler();
  const github = startGithubWorker();
  const retention = startRetentionSchedule();
  // Drains the rollup queue while this instance leads; alerts are evaluated after each drain.
  ensureAggregator().onDrained(() => insights.afterDrain());
  const stopOne = (name: string, p: Promise<unknown>) => p.catch((e) => log.error({ err: e }, `stopping ${name} failed`));
  return {
    async stop() {
      await stopOne("the export schedule", exports.stop());
      await stopOne("retention", retention.stop());
      await stopOne("the insights job", insights.stop());
      await stopOne("the connector schedule", connectors.stop());
      await stopOne("the GitHub worker", github.stop());
      await stopOne("the aggregator", stopAggregator());
    },
  };
}

/** The primary of a cluster: forks the workers, replaces one that dies, stops them all on a signal. */
async function runCluster(workers: number, onReady: () => void) {
  serveClusterMetrics();
  const c = config();
  const metricsServer = c.WAKEBOARD_METRICS_LISTEN ? await startMetricsListener(c.WAKEBOARD_METRICS_LISTEN) : null;
  let stopping = false;
  let ready = 0;
  const deaths: number[] = [];
  const fork = (jobs: boolean) => cluster.fork({ [JOBS_ENV]: jobs ? "1" : "0" });
  const jobsOf = new Map<number, boolean>();
  for (let i = 0; i < workers; i++) jobsOf.set(fork(i === 0).id, i === 0);
  cluster.on("message", (_worker, m: { type?: string }) => {
    if (m?.type === READY && ++ready === workers) onReady();
  });
  cluster.on("exit", (worker, code, signal) => {
    const jobs = jobsOf.get(worker.id) ?? false;
    jobsOf.delete(worker.id);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        metricsServer?.close();
        log.info("stopped");
        process.exit(0);
      }
      return;
    }
    const now = Date.now();
    deaths.push(now);
    while (deaths.length && deaths[0] < now - 60_000) deaths.shift();
    if (deaths.length > 5) {
      log.fatal({ deaths: deaths.length }, "workers keep dying (more than 5 in a minute): stopping");
      stopAll("crash loop");
      process.exitCode = 1;
      return;
    }
    log.error({ worker: worker.id, code, signal }, "a worker died: starting another");
    jobsOf.set(fork(jobs).id, jobs);
  });
  const stopAll = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, workers: Object.keys(cluster.workers ?? {}).length }, "shutting down the workers");
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill("SIGTERM");
    setTimeout(() => {
      log.warn("workers still running after 12 s; exiting");
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill("SIGKILL");
      process.exit(1);
    }, 12_000).unref();
  };
  process.on("SIGTERM", () => stopAll("SIGTERM"));
  process.on("SIGINT", () => stopAll("SIGINT"));
}

async function main() {
  const c = config();
  if (cluster.isWorker) {
    // Build, migrations, seed and secrets were done by the primary (its environment is ours).
    await serve({ jobs: process.env[JOBS_ENV] === "1", onStopped: () => process.exit(0) });
    log.flush();
    process.send?.({ type: READY });
    return;
  }
  const started = Date.now();
  process.env.NEXTAUTH_SECRET = ensureAuthSecret(c.dataDir);
  const publicUrl = c.NEXTAUTH_URL ?? `http://localhost:${c.PORT}`;
  process.env.NEXTAUTH_URL ??= publicUrl;
  ensureBuild();
  const creds = await prepareDatabase();
  const ready = () => {
    log.info({ url: publicUrl, ms: Date.now() - started, workers: c.WAKEBOARD_WORKERS }, "ready");
    // The banner comes last, after the start-up log lines, as one block.
    log.flush();
    banner(publicUrl, creds);
  };
  if (c.WAKEBOARD_WORKERS > 1) {
    await closeDb();
    await runCluster(c.WAKEBOARD_WORKERS, ready);
    return;
  }
  await serve({
    jobs: true,
    onStopped: () => {
      log.info("stopped");
      process.exit(0);
    },
  });
  ready();
}

main().catch((e) => {
  process.stderr.write(`wakeboard: ${e instanceof ConfigError ? e.message : ((e as Error).stack ?? e)}\n`);
  closeDb().finally(() => process.exit(1));
});

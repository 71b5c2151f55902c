import client from "prom-client";
import { currentPool } from "@/lib/db/client";
import { queueStatus } from "@/lib/rollups/queue-status";
import { log } from "@/lib/log";

// Wakeboard's Prometheus metrics (GET /api/metrics, docs/operations.md#metrics). One set per
// process, kept on globalThis: the server script and Next's route bundles load this module
// separately but must count into the same registry (prom-client is a server-external
// package, so they share its default registry too). Names and labels are the contract of
// the dashboards in docs/grafana-dashboard.json: rename nothing without updating them.

export type EventOutcome = "accepted" | "duplicate" | "rejected" | "forbidden";

export interface Metrics {
  registry: client.Registry;
  requests: client.Counter<"endpoint" | "method" | "status">;
  duration: client.Histogram<"endpoint" | "method">;
  events: client.Counter<"source" | "outcome">;
  rateLimited: client.Counter<"endpoint" | "limiter">;
  jobLastSuccess: client.Gauge<"job">;
  jobFailures: client.Counter<"job">;
  pool: client.Gauge<"state">;
  rollupQueue: client.Gauge<"measure">;
  rollupLag: client.Gauge;
}

const store = globalThis as unknown as { __wakeboardMetrics?: Metrics };

function create(): Metrics {
  const registry = client.register;
  client.collectDefaultMetrics({ register: registry, prefix: "wakeboard_" });
  return {
    registry,
    requests: new client.Counter({
      name: "wakeboard_http_requests_total",
      help: "API requests answered, by endpoint (route pattern), method and HTTP status",
      labelNames: ["endpoint", "method", "status"],
      registers: [registry],
    }),
    duration: new client.Histogram({
      name: "wakeboard_http_request_duration_seconds",
      help: "Time to answer an API request, by endpoint and method",
      labelNames: ["endpoint", "method"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    events: new client.Counter({
      name: "wakeboard_ingest_events_total",
      help: "Events that reached ingest, by source (api, otlp, import, seed …) and outcome (accepted, duplicate, rejected, forbidden)",
      labelNames: ["source", "outcome"],
      registers: [registry],
    }),
    rateLimited: new client.Counter({
      name: "wakeboard_rate_limited_total",
      help: "Requests refused by a rate limit (429), by endpoint and limiter (api_key, sign_in)",
      labelNames: ["endpoint", "limiter"],
      registers: [registry],
    }),
    jobLastSuccess: new client.Gauge({
      name: "wakeboard_job_last_success_timestamp_seconds",
      help: "Unix time of the last successful run of a scheduled job, by job (weekly_export …); absent until it ran once in this process",
      labelNames: ["job"],
      registers: [registry],
      aggregator: "max",
    }),
    jobFailures: new client.Counter({
      name: "wakeboard_job_failures_total",
      help: "Failed runs of a scheduled job, by job",
      labelNames: ["job"],
      registers: [registry],
    }),
    pool: new client.Gauge({
      name: "wakeboard_db_pool_connections",
      help: "Server database pool: connections by state (total, idle, waiting = requests queued for a connection, max); absent on the embedded database",
      labelNames: ["state"],
      registers: [registry],
      collect() {
        const pool = currentPool();
        if (!pool) return;
        this.set({ state: "total" }, pool.totalCount);
        this.set({ state: "idle" }, pool.idleCount);
        this.set({ state: "waiting" }, pool.waitingCount);
        this.set({ state: "max" }, pool.options.max ?? 10);
      },
    }),
    // Read from the database at scrape time: the queue is shared by every instance, so in a
    // cluster the workers' values are the same figure (aggregated by max, not summed).
    rollupQueue: new client.Gauge({
      name: "wakeboard_rollup_queue",
      help: "The rollup queue shared by every instance: waiting rows (measure=rows) and the events they stand for (measure=events); absent when the database cannot be read",
      labelNames: ["measure"],
      registers: [registry],
      aggregator: "max",
      async collect() {
        const q = await readQueue();
        if (!q) return;
        this.set({ measure: "rows" }, q.depth);
        this.set({ measure: "events" }, q.events);
      },
    }),
    rollupLag: new client.Gauge({
      name: "wakeboard_rollup_lag_seconds",
      help: "Age of the oldest event not yet in the rollups (0 when the queue is empty): how stale the dashboard is; it shows \"data as of\" past 5 s",
      registers: [registry],
      aggregator: "max",
      async collect() {
        const q = await readQueue();
        if (q) this.set(q.lagMs / 1000);
      },
    }),
  };
}

// One database read per scrape for both queue gauges (prom-client collects them one by one).
let pendingQueue: Promise<Awaited<ReturnType<typeof queueStatus>> | null> | null = null;
function readQueue() {
  pendingQueue ??= queueStatus()
    .catch((e) => {
      log.warn({ err: (e as Error).message }, "metrics: the rollup queue could not be read");
      return null;
    })
    .finally(() => setImmediate(() => (pendingQueue = null)));
  return pendingQueue;
}

/** This process's metrics, created on first use. */
export function metrics(): Metrics {
  return (store.__wakeboardMetrics ??= create());
}

/** Counts the outcome of every item ingest() was given. */
export function countEvents(source: string, outcomes: readonly EventOutcome[]): void {
  const tally = new Map<EventOutcome, number>();
  for (const o of outcomes) tally.set(o, (tally.get(o) ?? 0) + 1);
  const m = metrics();
  for (const [outcome, n] of tally) m.events.inc({ source, outcome }, n);
}

/** Records a scheduled job's run: success sets its last-success time, failure counts. */
export function recordJob(job: string, ok: boolean, at = new Date()): void {
  const m = metrics();
  if (ok) m.jobLastSuccess.set({ job }, at.getTime() / 1000);
  else m.jobFailures.inc({ job });
}

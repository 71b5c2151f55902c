import cluster from "node:cluster";
import client from "prom-client";
import { metrics } from "@/lib/metrics/registry";

// Rendering the metrics. A single process answers from its own registry. In a cluster
// (WAKEBOARD_WORKERS > 1) the scrape reaches one worker, which asks the primary; the primary
// gathers every worker's registry with prom-client's AggregatorRegistry (counters summed,
// last-success times by max), so one scrape sees the whole instance.

const REQ = "wakeboard:metrics-req";
const RES = "wakeboard:metrics-res";
const TIMEOUT_MS = 5000;

export const METRICS_CONTENT_TYPE = client.register.contentType;

interface Pending {
  resolve: (text: string) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

const store = globalThis as unknown as { __wakeboardMetricsPending?: Map<number, Pending>; __wakeboardMetricsSeq?: number; __wakeboardMetricsListening?: boolean };

/** The Prometheus text of this instance (every worker of it, in a cluster). */
export async function renderMetrics(): Promise<string> {
  metrics();
  if (cluster.isPrimary || !process.send) return client.register.metrics();
  return askPrimary();
}

function askPrimary(): Promise<string> {
  const pending = (store.__wakeboardMetricsPending ??= new Map());
  if (!store.__wakeboardMetricsListening) {
    store.__wakeboardMetricsListening = true;
    process.on("message", (m: { type?: string; id?: number; text?: string; error?: string }) => {
      if (m?.type !== RES || typeof m.id !== "number") return;
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      clearTimeout(p.timer);
      if (m.error !== undefined) p.reject(new Error(m.error));
      else p.resolve(m.text ?? "");
    });
  }
  const id = (store.__wakeboardMetricsSeq = (store.__wakeboardMetricsSeq ?? 0) + 1);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      pending.delete(id);
      reject(new Error("the primary process did not answer the metrics request"));
    }, TIMEOUT_MS);
    pending.set(id, { resolve, reject, timer });
    process.send!({ type: REQ, id });
  });
}

/** In a cluster's primary: answers workers' metrics requests with every worker's figures. */
export function serveClusterMetrics(): client.AggregatorRegistry<client.PrometheusContentType> {
  const aggregator = new client.AggregatorRegistry<client.PrometheusContentType>();
  cluster.on("message", (worker, m: { type?: string; id?: number }) => {
    if (m?.type !== REQ) return;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: RES, id: m.id, text }),
      (e: Error) => worker.send({ type: RES, id: m.id, error: e.message }),
    );
  });
  return aggregator;
}

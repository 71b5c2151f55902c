import { metrics } from "@/lib/metrics/registry";
import { endpointLabel } from "@/lib/metrics/endpoint";

/**
 * Counts an API answer by route pattern, method and status, with its latency (to the
 * response headers), for route() and the fast lane alike.
 */
export function observeRequest(pathname: string, method: string, status: number, started: number): void {
  const m = metrics();
  const endpoint = endpointLabel(pathname);
  m.requests.inc({ endpoint, method, status: String(status) });
  m.duration.observe({ endpoint, method }, (performance.now() - started) / 1000);
  if (status === 429) m.rateLimited.inc({ endpoint, limiter: "api_key" });
}

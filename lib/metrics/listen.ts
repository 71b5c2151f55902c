import http from "node:http";
import { log } from "@/lib/log";
import { METRICS_CONTENT_TYPE, renderMetrics } from "@/lib/metrics/render";

// WAKEBOARD_METRICS_LISTEN: the metrics on an address of their own, without authentication,
// for a Prometheus that reaches the instance on a private network (bind it to one).

export function parseListen(value: string): { host: string; port: number } {
  const i = value.lastIndexOf(":");
  return i < 0 ? { host: "127.0.0.1", port: Number(value) } : { host: value.slice(0, i), port: Number(value.slice(i + 1)) };
}

export async function startMetricsListener(value: string): Promise<http.Server> {
  const { host, port } = parseListen(value);
  const server = http.createServer((req, res) => {
    if (req.method !== "GET" || (req.url ?? "/").split("?")[0] !== "/metrics") {
      res.writeHead(404, { "content-type": "text/plain" }).end("GET /metrics\n");
      return;
    }
    renderMetrics().then(
      (text) => res.writeHead(200, { "content-type": METRICS_CONTENT_TYPE }).end(text),
      (e: Error) => {
        log.error({ err: e }, "metrics could not be collected");
        res.writeHead(503, { "content-type": "text/plain" }).end("metrics unavailable\n");
      },
    );
  });
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, host, resolve));
  log.info({ url: `http://${host}:${port}/metrics` }, "metrics listening");
  return server;
}

import type { IncomingMessage, ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import { fastLane } from "@/lib/http/fast-lane";
import { CLIENT_ADDRESS_HEADER, clientAddress } from "@/lib/http/client-address";
import { log } from "@/lib/log";

// The production server's request listener (scripts/start.ts): one request id per request,
// echoed as X-Request-Id and reused by the route handlers (lib/http/route.ts); one JSON log
// line per request, pages and API alike; then the fast lane for ingest, else `next`
// (Next's request handler). Tests build their servers from it too (test/helpers/http.ts).

export type NextHandler = (req: IncomingMessage, res: ServerResponse) => unknown;

export function requestListener(next: NextHandler, opts: { fastLane: boolean }) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const requestId = (req.headers["x-request-id"] as string | undefined)?.slice(0, 64) || randomUUID();
    req.headers["x-request-id"] = requestId;
    // The client's address as WAKEBOARD_TRUSTED_PROXIES allows (never what a client wrote here).
    req.headers[CLIENT_ADDRESS_HEADER] = clientAddress(req.socket.remoteAddress, req.headers["x-forwarded-for"]);
    res.setHeader("x-request-id", requestId);
    res.once("finish", () => {
      if (req.url?.startsWith("/_next/")) return;
      log.info({ requestId, method: req.method, path: req.url?.split("?")[0], status: res.statusCode, ms: Math.round(performance.now() - started) }, "request");
    });
    if (opts.fastLane && fastLane(req, res, requestId)) return;
    void next(req, res);
  };
}

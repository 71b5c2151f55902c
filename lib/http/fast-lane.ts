import type { IncomingMessage, ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";
import { toApiError } from "@/lib/http/errors";
import { INGEST_ENDPOINTS, type IngestEndpoint } from "@/lib/http/ingest-endpoints";
import { errorReply, type Reply } from "@/lib/http/respond";
import { authenticateKey } from "@/lib/http/route";
import { SECURITY_HEADERS } from "@/lib/http/security-headers";
import { observeRequest } from "@/lib/metrics/observe";

// The fast lane (issue 10): under `npm start`, POST /api/v1/events, /api/v1/otlp/v1/* and
// /api/v1/import are answered here on plain node:http, before Next's request handler, which
// costs more per request than the whole ingest on this path. Same endpoint functions, same
// authentication and error map as the app/api routes, same security headers as
// next.config.ts, and the request id and log line of scripts/start.ts: the contract cannot
// tell the two apart (test/helpers/http.ts runs the contract suites against both).
// Anything else — other methods, other paths, an import signed in with a session cookie —
// goes on to Next.

const ENDPOINTS = new Map<string, IngestEndpoint>(Object.entries(INGEST_ENDPOINTS));
// Next's router adds this Vary to every route answer; sent too, so the headers match.
const VARY = "rsc, next-router-state-tree, next-router-prefetch, next-router-segment-prefetch, Accept-Encoding";
const BASE_HEADERS = { ...Object.fromEntries(SECURITY_HEADERS.map((h) => [h.key.toLowerCase(), h.value])), vary: VARY };
/** Answers above this size are gzipped for clients that accept it (Next compresses all). */
const GZIP_ABOVE = 1024;

function headerGetter(req: IncomingMessage) {
  return {
    get(name: string): string | null {
      const v = req.headers[name.toLowerCase()];
      return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
    },
  };
}

/** The endpoint the fast lane answers for this request, or undefined to hand it to Next. */
export function fastLaneEndpoint(req: IncomingMessage): { endpoint: IngestEndpoint; query: string } | undefined {
  if (req.method !== "POST" || !req.url) return undefined;
  const q = req.url.indexOf("?");
  const endpoint = ENDPOINTS.get(q < 0 ? req.url : req.url.slice(0, q));
  if (!endpoint) return undefined;
  // A signed-in admin's import authenticates with next-auth's cookie: Next's route does that.
  if (endpoint.access.roles && req.headers.authorization === undefined) return undefined;
  return { endpoint, query: q < 0 ? "" : req.url.slice(q + 1) };
}

/** Answers the request if it is one of the fast lane's; false when Next should. */
export function fastLane(req: IncomingMessage, res: ServerResponse, requestId: string): boolean {
  const match = fastLaneEndpoint(req);
  if (!match) return false;
  void serve(req, res, requestId, match.endpoint, match.query);
  return true;
}

async function serve(req: IncomingMessage, res: ServerResponse, requestId: string, endpoint: IngestEndpoint, query: string): Promise<void> {
  const started = performance.now();
  let reply: Reply;
  try {
    const key = endpoint.access.public ? null : ((await authenticateKey(req.headers.authorization, endpoint.access)) ?? null);
    reply = await endpoint.handle({ headers: headerGetter(req), body: req, query: new URLSearchParams(query), key });
  } catch (e) {
    reply = errorReply(toApiError(e, requestId), requestId);
  }
  send(req, res, reply, requestId);
  observeRequest(req.url!.split("?")[0], "POST", reply.status, started);
}

function send(req: IncomingMessage, res: ServerResponse, reply: Reply, requestId: string) {
  if (res.headersSent || res.destroyed) return;
  let body = typeof reply.body === "string" ? Buffer.from(reply.body) : reply.body;
  const headers: Record<string, string | number> = { ...BASE_HEADERS, ...reply.headers, "x-request-id": requestId };
  if (body.byteLength > GZIP_ABOVE && /\bgzip\b/.test(req.headers["accept-encoding"] ?? "")) {
    body = gzipSync(body, { level: 1 });
    headers["content-encoding"] = "gzip";
  }
  headers["content-length"] = body.byteLength;
  // Refused before the whole body was read (401, 413 …): answer, then close the connection
  // rather than leave an unread body on a reused socket.
  if (!req.complete) headers.connection = "close";
  res.writeHead(reply.status, headers);
  res.end(body);
}

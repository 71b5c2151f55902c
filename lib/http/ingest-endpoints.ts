import type { ApiKeyInfo } from "@/lib/keys/api-keys";
import type { Access } from "@/lib/http/route";
import { jsonReply, type Reply } from "@/lib/http/respond";
import type { BodySource } from "@/lib/ingest/body";
import { handleEvents } from "@/lib/ingest/events-request";
import { handleImport } from "@/lib/ingest/import-request";
import { enforceKeyRateLimit, withLimitHeaders } from "@/lib/ingest/key-rate-limit";
import { handleOtlp } from "@/lib/otlp/handle-otlp";
import { readOtlpRequest } from "@/lib/otlp/http";
import type { Signal } from "@/lib/otlp/otlp-schema";

// The ingest endpoints (DESIGN.md §4) as functions of a request's parts, after
// authentication: the app/api routes call them under Next (`next dev`, and `npm start` for
// anything the fast lane passes on), the fast lane (lib/http/fast-lane.ts) calls them on
// plain node:http. One definition, so both answer byte for byte alike.

export interface EndpointRequest {
  headers: { get(name: string): string | null };
  body: BodySource | null;
  query: URLSearchParams;
  /** The authenticated API key; null for a session (import) or a public endpoint (traces). */
  key: ApiKeyInfo | null;
}

export interface IngestEndpoint {
  access: Access;
  handle(req: EndpointRequest): Promise<Reply>;
}

/**
 * Takes one request from the key's shared bucket (none for a signed-in import), then answers
 * with X-RateLimit-Limit/Remaining/Reset on every answer after that: 2xx, 4xx and the 429 alike.
 */
async function limited(key: ApiKeyInfo | null, answer: () => Promise<Reply>): Promise<Reply> {
  if (!key) return answer();
  const limit = await enforceKeyRateLimit(key);
  try {
    const reply = await answer();
    return { ...reply, headers: { ...reply.headers, ...limit } };
  } catch (e) {
    throw withLimitHeaders(e, limit);
  }
}

const otlp = (signal: Exclude<Signal, "traces">): IngestEndpoint => ({
  access: { scope: "ingest" },
  async handle({ headers, body, key }) {
    return limited(key, async () => {
      const request = await readOtlpRequest(headers, body);
      const r = await handleOtlp({ signal, ...request, key: { id: key!.id, teamId: key!.teamId } });
      return { status: r.status, headers: { "cache-control": "no-store", ...r.headers }, body: r.body };
    });
  },
});

export const INGEST_ENDPOINTS = {
  // POST /api/v1/events – native usage events (one, {"events": [...]} or NDJSON); DESIGN.md §4.1.
  "/api/v1/events": {
    access: { scope: "ingest" },
    async handle({ headers, body, key }) {
      return limited(key, async () => {
        const answer = await handleEvents({
          contentType: headers.get("content-type"),
          contentLength: headers.get("content-length"),
          body,
          key: { id: key!.id, teamId: key!.teamId },
        });
        return jsonReply(answer);
      });
    },
  },
  // POST /api/v1/import – bulk JSONL or CSV, streamed (admin session or ingest key); DESIGN.md §4.3.
  "/api/v1/import": {
    access: { scope: "ingest", roles: ["admin"] },
    async handle({ headers, body, query, key }) {
      return limited(key, async () => {
        const report = await handleImport({
          contentType: headers.get("content-type"),
          format: query.get("format"),
          body,
          key: key ? { id: key.id, teamId: key.teamId } : null,
        });
        return jsonReply(report);
      });
    },
  },
  "/api/v1/otlp/v1/metrics": otlp("metrics"),
  "/api/v1/otlp/v1/logs": otlp("logs"),
  // Nothing is stored, but the sink still wants the ingest key (CLIs send it with every signal)
  // and never reads the body: an anonymous client cannot make the server read 8 MiB (issue 11).
  "/api/v1/otlp/v1/traces": {
    access: { scope: "ingest" },
    async handle({ headers }) {
      const r = await handleOtlp({ signal: "traces", contentType: headers.get("content-type"), contentEncoding: null, body: new Uint8Array() });
      return { status: r.status, headers: { "cache-control": "no-store", connection: "close", ...r.headers }, body: r.body };
    },
  },
} satisfies Record<string, IngestEndpoint>;

export type IngestPath = keyof typeof INGEST_ENDPOINTS;

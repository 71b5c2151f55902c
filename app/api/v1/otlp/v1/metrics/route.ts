// POST /api/v1/otlp/v1/metrics – OTLP/HTTP metrics (token usage, sessions, cost and lines from Claude Code, Gemini CLI, Codex and GenAI agents); DESIGN.md §4.2.
// Under `npm start` the fast lane (lib/http/fast-lane.ts) answers this path before Next's router
// with the same endpoint function; this route serves `next dev` and session-authenticated calls.
import { methodsNotAllowed, route } from "@/lib/http/route";
import { toResponse } from "@/lib/http/respond";
import { INGEST_ENDPOINTS } from "@/lib/http/ingest-endpoints";

export const dynamic = "force-dynamic";

const endpoint = INGEST_ENDPOINTS["/api/v1/otlp/v1/metrics"];

export const POST = route(endpoint.access, async ({ req, key }) =>
  toResponse(await endpoint.handle({ headers: req.headers, body: req.body, query: req.nextUrl.searchParams, key })),
);

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed("POST");

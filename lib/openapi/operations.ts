import { z } from "zod";
import { eventSchema } from "@/lib/ingest/event-schema";
import { dashboardParams } from "@/lib/queries/params";
import { exportParamsSchema } from "@/lib/export/params";
import * as S from "@/lib/openapi/schemas";

// Every API operation, described once: what it takes (the zod schemas that validate it),
// what it answers per status, and an example of each, so the document (document.ts), the
// in-app reference (/docs/api) and the tests read the same list. A new route under app/api
// without an entry here fails test/openapi.test.ts.

export type Method = "get" | "post";
export type Auth = "key" | "session" | "none";

export interface Answer {
  description: string;
  /** Media type → schema (zod) and an example that must validate against it. */
  content?: Record<string, { schema?: z.ZodType; example?: unknown }>;
  retryAfter?: boolean;
}

export interface Operation {
  path: string;
  method: Method;
  tag: string;
  summary: string;
  description?: string;
  /** Who may call it: API key scopes and/or session roles. */
  auth: { scopes?: string[]; roles?: string[]; public?: boolean };
  query?: z.ZodObject;
  pathParams?: z.ZodObject;
  body?: { required: boolean; content: Record<string, { schema?: z.ZodType; example?: unknown; description?: string }> };
  responses: Record<number, Answer>;
}

const at = "2026-11-23T09:30:00Z";
const exampleEvent = { id: "evt_01JD4X5", timestamp: at, tool: "claude-code", team: "payments", user: "ada@example.com", model: "claude-sonnet-4-5", input_tokens: 1200, output_tokens: 80, cache_read_tokens: 3000 };

const err = (description: string, code: string, message: string, retryAfter = false): Answer => ({
  description,
  retryAfter,
  content: { "application/json": { schema: S.errorEnvelope, example: { error: { code, message } } } },
});

// The standard refusals, worded as the API words them (lib/http/errors.ts).
const E = {
  400: err("Malformed body or parameters; every event invalid (per-event errors in error.details.rejected)", "bad_request", "Invalid query parameters"),
  401: err("Missing, unknown or revoked credentials (the same answer for each)", "unauthorized", "Missing, unknown or revoked credentials: send Authorization: Bearer <API key>, or sign in"),
  403: err("The key lacks the scope or the team, or the session lacks the role", "forbidden", 'This API key lacks the "ingest" scope'),
  404: err("No such team (or other named resource)", "not_found", 'No such team "nope"'),
  413: err("Body too large", "payload_too_large", "Body exceeds 1 MiB"),
  415: err("Unsupported content type", "unsupported_media_type", "Send application/json or application/x-ndjson"),
  429: err("Rate limited; retry after Retry-After seconds", "rate_limited", "This API key is limited to 200 requests per second (burst 400); retry after 1 s", true),
  503: err("The database is unavailable; nothing of the request was written; retry after Retry-After seconds", "database_unavailable", "The database is unavailable; retry shortly", true),
} as const;

const pick = (...codes: (keyof typeof E)[]) => Object.fromEntries(codes.map((c) => [c, E[c]]));

const leaderboardQuery = dashboardParams.pick({ period: true, metric: true, view: true, unit: true, tool: true, model: true, sort: true, dir: true });
const trendQuery = dashboardParams.pick({ period: true, grain: true, tool: true, model: true });

const otlpBody = (signal: string) => ({
  required: true,
  content: {
    "application/json": { description: `OTLP/HTTP ExportMetricsServiceRequest / ExportLogsServiceRequest as JSON (${signal}); gzip or deflate with Content-Encoding` },
    "application/x-protobuf": { description: "The same message as protobuf" },
  },
});

const otlpOk: Answer = { description: "Stored (or a partialSuccess naming what was rejected), in the request's encoding", content: { "application/json": { schema: S.otlpAnswer, example: {} }, "application/x-protobuf": {} } };

export const OPERATIONS: Operation[] = [
  {
    path: "/api/v1/events",
    method: "post",
    tag: "Ingest",
    summary: "Send usage events",
    description: "One event, {\"events\": [...]} with up to 1,000, or NDJSON (one event a line). Idempotent by `id`: a replay is a duplicate, the same id with other content a conflict. Valid events are kept even when others are rejected. Body ≤ 1 MiB.",
    auth: { scopes: ["ingest"] },
    body: {
      required: true,
      content: {
        "application/json": { schema: S.eventsBody, example: { events: [exampleEvent] } },
        "application/x-ndjson": { description: "One event object per line", example: JSON.stringify(exampleEvent) + "\n" },
      },
    },
    responses: {
      200: { description: "Each event stored, a duplicate, or rejected (with reasons)", content: { "application/json": { schema: S.ingestAnswer, example: { accepted: 1, duplicates: 0, rejected: [] } } } },
      ...pick(400, 401, 403, 413, 415, 429, 503),
    },
  },
  {
    path: "/api/v1/import",
    method: "post",
    tag: "Ingest",
    summary: "Bulk import a JSONL or CSV file of native events",
    description: "Streamed in chunks of 1,000 through the same validation and idempotency as /api/v1/events. An ingest key or an admin session.",
    auth: { scopes: ["ingest"], roles: ["admin"] },
    query: z.object({ format: z.enum(["jsonl", "csv"]).optional().meta({ description: "Overrides the Content-Type" }) }),
    body: {
      required: true,
      content: {
        "application/x-ndjson": { example: JSON.stringify(exampleEvent) + "\n" },
        "text/csv": { example: "id,timestamp,tool,team,input_tokens\nevt_1,2026-11-23T09:30:00Z,codex,payments,100\n" },
      },
    },
    responses: {
      200: { description: "What became of each line", content: { "application/json": { schema: S.importReport, example: { lines: 2, events: 2, accepted: 1, duplicates: 0, rejected: 1, rejectedLines: [{ line: 2, id: "evt_2", errors: [{ path: "timestamp", message: "is required and must be an RFC 3339 string" }] }] } } } },
      ...pick(400, 401, 403, 413, 415, 429, 503),
    },
  },
  ...(["metrics", "logs"] as const).map(
    (signal): Operation => ({
      path: `/api/v1/otlp/v1/${signal}`,
      method: "post",
      tag: "OTLP",
      summary: `OTLP/HTTP ${signal} from Claude Code, Gemini CLI, Codex and GenAI agents`,
      description:
        signal === "metrics"
          ? "Point OTEL_EXPORTER_OTLP_ENDPOINT at /api/v1/otlp with OTEL_EXPORTER_OTLP_HEADERS=\"Authorization=Bearer <key>\". Bodies ≤ 8 MiB."
          : "Log events count only for tools listed in WAKEBOARD_OTLP_LOG_TOOLS (metrics or logs per tool, never both).",
      auth: { scopes: ["ingest"] },
      body: otlpBody(signal),
      responses: { 200: otlpOk, ...pick(400, 401, 403, 413, 415, 429, 503) },
    }),
  ),
  {
    path: "/api/v1/otlp/v1/traces",
    method: "post",
    tag: "OTLP",
    summary: "OTLP/HTTP traces: accepted and dropped",
    description: "Gemini CLI always sends traces; Wakeboard counts none. The ingest key is required and the body is never read.",
    auth: { scopes: ["ingest"] },
    body: otlpBody("traces"),
    responses: { 200: otlpOk, ...pick(400, 401, 403, 413, 415) },
  },
  {
    path: "/api/v1/leaderboard",
    method: "get",
    tag: "Read",
    summary: "Teams ranked for a period and metric",
    description: "A session or a `read` key (a team-restricted key reads only its subtree). Never per-person data for keys.",
    auth: { scopes: ["read"], roles: ["admin", "manager", "viewer"] },
    query: leaderboardQuery,
    responses: {
      200: {
        description: "The ranking",
        content: {
          "application/json": {
            schema: S.leaderboardAnswer,
            example: {
              period: { param: "30d", label: "Last 30 days", from: "2026-10-24", to: "2026-11-22" },
              previous: { from: "2026-09-24", to: "2026-10-23" },
              metric: "tokens",
              view: "teams",
              unit: null,
              filters: { tool: [], model: [] },
              sparkline: { grain: "week", buckets: ["2026-10-19", "2026-10-26"] },
              rows: [],
            },
          },
        },
      },
      ...pick(400, 401, 403, 404, 503),
    },
  },
  {
    path: "/api/v1/teams/{slug}/trend",
    method: "get",
    tag: "Read",
    summary: "A team's figures per day or ISO week",
    auth: { scopes: ["read"], roles: ["admin", "manager", "viewer"] },
    pathParams: z.object({ slug: z.string().meta({ description: "Team slug", example: "payments" }) }),
    query: trendQuery,
    responses: {
      200: {
        description: "One point per bucket of the period",
        content: {
          "application/json": {
            schema: S.trendAnswer,
            example: { team: { id: 7, slug: "payments", name: "Payments", path: "Org / Payments" }, period: { param: "7d", label: "Last 7 days", from: "2026-11-16", to: "2026-11-22" }, grain: "day", filters: { tool: [], model: [] }, points: [] },
          },
        },
      },
      ...pick(400, 401, 403, 404, 503),
    },
  },
  {
    path: "/api/v1/exports/weekly.csv",
    method: "get",
    tag: "Export",
    summary: "The weekly CSV export (streamed)",
    description: "Columns of DESIGN.md §8. A session or an `export` key; the person grain for admins and managers of the teams only.",
    auth: { scopes: ["export"], roles: ["admin", "manager", "viewer"] },
    query: exportParamsSchema,
    responses: {
      200: { description: "RFC 4180 CSV, CRLF, UTF-8", content: { "text/csv": { example: "week,team,team_path,headcount,active_users,adoption_pct,invocations,input_tokens,output_tokens,cache_read_tokens,cache_write_tokens,total_tokens,cost_usd,rank,rank_change,merged_prs,ai_merged_prs,ai_pr_share_pct,landed_commits,ai_commits,ai_commit_share_pct\r\n" } } },
      ...pick(400, 401, 403, 404, 503),
    },
  },
  {
    path: "/api/v1/digest",
    method: "get",
    tag: "Read",
    summary: "The signed-in manager's (or admin's) Monday digest of an ISO week, as it is emailed",
    auth: { roles: ["admin", "manager"] },
    query: z.object({
      week: z.string().optional().meta({ description: "ISO week such as 2026-W48; default the last complete week" }),
      format: z.enum(["html", "text", "json"]).optional().meta({ description: "default html" }),
    }),
    responses: {
      200: { description: "The digest (text/html, text/plain or JSON)", content: { "text/html": {}, "text/plain": {}, "application/json": {} } },
      ...pick(400, 401, 403, 503),
    },
  },
  {
    path: "/api/v1/admin/audit",
    method: "get",
    tag: "Admin",
    summary: "The audit log, newest first",
    auth: { roles: ["admin"] },
    query: z.object({
      q: z.string().optional().meta({ description: "Matches actor, action, target or details" }),
      before: z.string().optional().meta({ description: "The `next` cursor of the previous page" }),
      limit: z.coerce.number().int().min(1).max(200).optional(),
    }),
    responses: {
      200: { description: "A page of entries", content: { "application/json": { schema: S.auditAnswer, example: { entries: [{ id: "42", at: "2026-11-23T09:30:00.000Z", actor: "admin@example.com", action: "key.create", targetType: "api_key", targetId: "3", details: { name: "ci" } }], next: null } } } },
      ...pick(401, 403, 503),
    },
  },
  {
    path: "/api/v1/admin/roster",
    method: "post",
    tag: "Admin",
    summary: "Roster import (CSV: email,name,team[,identities])",
    auth: { roles: ["admin"] },
    query: z.object({ dry_run: z.enum(["0", "1", "true", "false"]).optional(), effective: z.iso.date().optional().meta({ description: "Date the moves take effect (not in the future)" }) }),
    body: { required: true, content: { "text/csv": { example: "email,name,team\nada@example.com,Ada Lovelace,payments\n" } } },
    responses: {
      200: { description: "What the file did (or would do, with dry_run)", content: { "application/json": { schema: S.rosterAnswer, example: { dryRun: true, rows: [{ line: 2, email: "ada@example.com", name: "Ada Lovelace", team: "payments", identities: [], action: "create", changes: [] }], fileErrors: [], counts: { create: 1, update: 0, move: 0, unchanged: 0, invalid: 0 } } } } },
      ...pick(400, 401, 403, 413, 415, 503),
    },
  },
  {
    path: "/api/v1/github/webhook",
    method: "post",
    tag: "GitHub",
    summary: "GitHub App / organisation webhook deliveries (push, pull_request)",
    description: "Authenticated by the delivery's X-Hub-Signature-256 (HMAC-SHA256 of the body under WAKEBOARD_GITHUB_WEBHOOK_SECRET), not by a key or session. Recorded by X-GitHub-Delivery (a redelivery changes nothing), then processed by a worker (docs/github.md).",
    auth: { public: true },
    body: { required: true, content: { "application/json": { description: "GitHub's webhook payload" }, "application/x-www-form-urlencoded": { description: "payload=<the JSON payload>" } } },
    responses: {
      202: { description: "Recorded", content: { "application/json": { schema: S.githubReceived, example: { delivery: "72d3162e-cc78-11e3-81ab-4c9367dc0958", status: "queued" } } } },
      400: err("Missing X-GitHub-Event / X-GitHub-Delivery, or a body that is not a JSON payload", "bad_request", "X-GitHub-Event is missing or malformed"),
      401: err("Bad or missing signature, or webhooks are off (no secret configured)", "bad_signature", "X-Hub-Signature-256 is missing or does not match the body under the configured secret"),
      413: E[413],
      503: E[503],
    },
  },
  {
    path: "/api/health",
    method: "get",
    tag: "Operations",
    summary: "Liveness and database reachability, for load balancers",
    auth: { public: true },
    responses: {
      200: { description: "The database answers", content: { "application/json": { schema: S.healthAnswer, example: { status: "ok", database: "up", ms: 2 } } } },
      503: { description: "The database does not answer", retryAfter: true, content: { "application/json": { schema: S.healthAnswer, example: { status: "unavailable", database: "down" } } } },
    },
  },
  {
    path: "/api/metrics",
    method: "get",
    tag: "Operations",
    summary: "Prometheus metrics of this instance (all its workers)",
    description: "A key with the `metrics` scope or an admin session. WAKEBOARD_METRICS_LISTEN serves the same text on a separate address without authentication.",
    auth: { scopes: ["metrics"], roles: ["admin"] },
    responses: {
      200: { description: "Prometheus text exposition format 0.0.4", content: { "text/plain": { example: 'wakeboard_ingest_events_total{source="api",outcome="accepted"} 1200\n' } } },
      ...pick(401, 403, 503),
    },
  },
  {
    path: "/api/v1/openapi.json",
    method: "get",
    tag: "Operations",
    summary: "This description (OpenAPI 3.1)",
    auth: { public: true },
    responses: { 200: { description: "The OpenAPI document", content: { "application/json": {} } } },
  },
  ...(["get", "post"] as const).map(
    (method): Operation => ({
      path: "/api/auth/{nextauth}",
      method,
      tag: "Sign-in",
      summary: `next-auth's ${method === "get" ? "session, CSRF, providers and callback" : "sign-in, callback and sign-out"} endpoints (for the browser)`,
      description: "Used by the login page; scripts use API keys instead. Sign-in attempts are throttled per email and per address.",
      auth: { public: true },
      pathParams: z.object({ nextauth: z.string().meta({ description: "next-auth's path, e.g. session, csrf, signin/credentials, callback/oidc, signout" }) }),
      responses: {
        200: { description: "next-auth's answer", content: { "application/json": {} } },
        302: { description: "Redirect (sign-in, callback, sign-out)" },
        400: { description: "next-auth refused the request" },
        401: { description: "Sign-in failed" },
        403: { description: "CSRF token missing or wrong" },
      },
    }),
  ),
];

export { eventSchema };

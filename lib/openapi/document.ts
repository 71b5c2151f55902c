import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject, type ZodOpenApiResponsesObject } from "zod-openapi";
import { OPERATIONS, type Operation } from "@/lib/openapi/operations";

// The OpenAPI 3.1 document of GET /api/v1/openapi.json, generated from OPERATIONS and the
// zod schemas that validate the requests. Built once per process.

const RETRY_AFTER = { "Retry-After": { description: "Seconds to wait before retrying", schema: { type: "integer" as const } } };
// The per-key (or per-user) token bucket, shared by every instance (lib/http/shared-limiter.ts):
// sent on every answer given after the bucket was taken from, the 429 included.
const RATE_LIMIT = {
  "X-RateLimit-Limit": { description: "The bucket's size (burst): requests allowed at once", schema: { type: "integer" as const } },
  "X-RateLimit-Remaining": { description: "Requests left in the bucket after this one (as this instance last saw the shared bucket)", schema: { type: "integer" as const } },
  "X-RateLimit-Reset": { description: "Seconds until the bucket is full again", schema: { type: "integer" as const } },
};

function operation(op: Operation): ZodOpenApiOperationObject {
  const security: Record<string, string[]>[] = [];
  if (op.auth.scopes) security.push({ apiKey: [] });
  if (op.auth.roles) security.push({ session: [] });
  const who = [op.auth.scopes && `API key with scope ${op.auth.scopes.map((s) => `\`${s}\``).join(" or ")}`, op.auth.roles && `session with role ${op.auth.roles.join(", ")}`].filter(Boolean).join("; or ");
  const responses: ZodOpenApiResponsesObject = {};
  const limited = 429 in op.responses;
  for (const [status, answer] of Object.entries(op.responses)) {
    const headers = { ...(answer.retryAfter ? RETRY_AFTER : {}), ...(limited && !["401", "403", "503"].includes(status) ? RATE_LIMIT : {}) };
    responses[status as `2${string}`] = {
      description: answer.description,
      ...(Object.keys(headers).length ? { headers } : {}),
      ...(answer.content ? { content: Object.fromEntries(Object.entries(answer.content).map(([type, c]) => [type, { ...(c.schema ? { schema: c.schema } : {}), ...(c.example !== undefined ? { example: c.example } : {}) }])) } : {}),
    };
  }
  return {
    operationId: `${op.method}${op.path.replace(/[^a-zA-Z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ""))}`,
    tags: [op.tag],
    summary: op.summary,
    description: [op.description, op.auth.public ? "No authentication." : `Authentication: ${who}.`].filter(Boolean).join("\n\n"),
    security: op.auth.public ? [] : security,
    ...(op.query || op.pathParams ? { requestParams: { ...(op.query ? { query: op.query } : {}), ...(op.pathParams ? { path: op.pathParams } : {}) } } : {}),
    ...(op.body
      ? {
          requestBody: {
            required: op.body.required,
            content: Object.fromEntries(Object.entries(op.body.content).map(([type, c]) => [type, { schema: c.schema ?? { type: "string", ...(c.description ? { description: c.description } : {}) }, ...(c.example !== undefined ? { example: c.example } : {}) }])),
          },
        }
      : {}),
    responses,
  };
}

let cached: ReturnType<typeof createDocument> | undefined;

export function openApiDocument(): ReturnType<typeof createDocument> {
  if (cached) return cached;
  const paths: ZodOpenApiPathsObject = {};
  for (const op of OPERATIONS) paths[op.path] = { ...(paths[op.path] ?? {}), [op.method]: operation(op) };
  cached = createDocument({
    openapi: "3.1.0",
    info: {
      title: "Wakeboard API",
      version: "1",
      description: "Usage events in (native JSON, OTLP, bulk import), figures out (leaderboard, trends, weekly CSV). Errors are always {\"error\": {\"code\", \"message\"}}; a client's mistake is never a 500.",
    },
    tags: [{ name: "Ingest" }, { name: "OTLP" }, { name: "Read" }, { name: "Export" }, { name: "Admin" }, { name: "GitHub" }, { name: "Operations" }, { name: "Sign-in" }],
    components: {
      securitySchemes: {
        apiKey: { type: "http", scheme: "bearer", description: "An API key (wkb_…) created under Admin → API keys or with `wakeboard keys create`" },
        session: { type: "apiKey", in: "cookie", name: "next-auth.session-token", description: "A signed-in browser session (__Secure-next-auth.session-token behind HTTPS)" },
      },
    },
    paths,
  });
  return cached;
}

import { randomUUID } from "node:crypto";
import type { NextRequest } from "next/server";
import type { Role } from "@/lib/generated/prisma/enums";
import { currentViewer, type Viewer } from "@/lib/auth/viewer";
import { verifyKey, type ApiKeyInfo, type Scope } from "@/lib/keys/api-keys";
import { ApiError, forbidden, toApiError, unauthorized } from "@/lib/http/errors";
import { errorResponse } from "@/lib/http/respond";
import { observeRequest } from "@/lib/metrics/observe";
import { enforceReadRateLimit, type ReadLimit } from "@/lib/http/read-rate-limit";

// Every route handler runs through `route()`: request id → auth as declared → handler →
// one error envelope. Business rules stay in lib/; the handler only parses and responds.

export interface Access {
  /** Session roles allowed; omit to refuse sessions. */
  roles?: Role[];
  /** API-key scope accepted; omit to refuse API keys (they never open dashboard routes). */
  scope?: Scope;
  /** No authentication at all (health …). */
  public?: boolean;
  /** Per key or user rate limit of the read or export APIs. */
  limit?: ReadLimit;
}

export interface RouteContext<P> {
  req: NextRequest;
  params: P;
  requestId: string;
  viewer: Viewer | null;
  key: ApiKeyInfo | null;
}

type Handler<P> = (ctx: RouteContext<P>) => Promise<Response>;

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export const ALL_ROLES: Role[] = ["admin", "manager", "viewer"];

/** The secret of an `Authorization: Bearer` header; null when malformed, undefined when absent. */
function bearer(header: string | null | undefined): string | null | undefined {
  if (header === null || header === undefined) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1] : null;
}

/**
 * API-key authentication from an Authorization header, as `access` declares: the key, or
 * undefined when there is no header (then a session may be tried). Shared by route() and
 * the fast lane (lib/http/fast-lane.ts), so both answer 401/403 alike.
 */
export async function authenticateKey(authorization: string | null | undefined, access: Access): Promise<ApiKeyInfo | undefined> {
  const secret = bearer(authorization);
  if (secret === undefined) {
    if (!access.roles) throw unauthorized();
    return undefined;
  }
  const key = secret ? await verifyKey(secret) : null;
  if (!key) throw unauthorized();
  if (!access.scope) throw forbidden("API keys cannot use this endpoint; sign in instead");
  if (!key.scopes.includes(access.scope)) throw forbidden(`This API key lacks the "${access.scope}" scope`);
  return key;
}

/** Cookie-authenticated state changes must come from our own origin (CSRF). */
function sameOrigin(req: NextRequest): boolean {
  const origin = req.headers.get("origin");
  if (!origin) return req.headers.get("sec-fetch-site") !== "cross-site";
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

async function authenticate(req: NextRequest, access: Access): Promise<{ viewer: Viewer | null; key: ApiKeyInfo | null }> {
  if (access.public) return { viewer: null, key: null };
  const key = await authenticateKey(req.headers.get("authorization"), access);
  if (key) return { viewer: null, key };
  const viewer = await currentViewer();
  if (!viewer) throw unauthorized();
  if (!access.roles?.includes(viewer.role)) throw forbidden();
  if (STATE_CHANGING.has(req.method) && !sameOrigin(req)) throw forbidden("Cross-origin request refused");
  return { viewer, key: null };
}

export function route<P = Record<string, never>>(access: Access, handler: Handler<P>) {
  const wrapped = async (req: NextRequest, ctx: { params: Promise<P> }): Promise<Response> => {
    const requestId = req.headers.get("x-request-id")?.slice(0, 64) || randomUUID();
    const started = performance.now();
    let res: Response;
    let limitHeaders: Record<string, string> = {};
    try {
      const who = await authenticate(req, access);
      if (access.limit && (who.key || who.viewer)) limitHeaders = await enforceReadRateLimit(access.limit, who.key ? `key:${who.key.id}` : `user:${who.viewer!.id}`);
      res = await handler({ req, params: await ctx.params, requestId, ...who });
    } catch (e) {
      res = errorResponse(toApiError(e, requestId), requestId);
    }
    for (const [k, v] of Object.entries(limitHeaders)) if (!res.headers.has(k)) res.headers.set(k, v);
    res.headers.set("x-request-id", requestId);
    observeRequest(req.nextUrl.pathname, req.method, res.status, started);
    return res;
  };
  return Object.assign(wrapped, { access });
}

const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type HttpMethod = (typeof HTTP_METHODS)[number];

/**
 * Handlers for the methods a route does not serve: 405 with `Allow` and the error envelope
 * (Next's own 405 has an empty body). Answered before authentication, like any router would.
 * Spread into a route file: `export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed("POST")`.
 */
export function methodsNotAllowed<A extends HttpMethod>(...allowed: A[]) {
  const allow = allowed.join(", ");
  const handler = Object.assign(
    // Any route's params (`{ slug }` …): the handler never reads them.
    route<Record<string, string | string[]>>({ public: true }, async ({ req }) => {
      throw new ApiError(405, "method_not_allowed", `${req.method} is not allowed here; use ${allowed.join(" or ")}`, undefined, { allow });
    }),
    { methodNotAllowed: true as const },
  );
  return Object.fromEntries(HTTP_METHODS.filter((m) => !(allowed as HttpMethod[]).includes(m)).map((m) => [m, handler])) as Record<Exclude<HttpMethod, A>, typeof handler>;
}

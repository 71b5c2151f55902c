import { log } from "@/lib/log";

// The one error envelope of the API: {"error": {"code", "message", "details"?}}.

export class ApiError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
    public readonly details?: unknown,
    public readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const unauthorized = () =>
  new ApiError(401, "unauthorized", "Missing, unknown or revoked credentials: send Authorization: Bearer <API key>, or sign in");

export const forbidden = (message = "You do not have access to this resource") => new ApiError(403, "forbidden", message);

export const badRequest = (message: string, details?: unknown) => new ApiError(400, "bad_request", message, details);

export const notFound = (what = "resource") => new ApiError(404, "not_found", `No such ${what}`);

const UNAVAILABLE = [
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "EPIPE",
  "57P01", // admin_shutdown
  "57P03", // cannot_connect_now
  "53300", // too_many_connections
  "P1001",
  "P1002",
  "P1017",
  "P2024",
  "DatabaseNotReachable",
  "ConnectionClosed",
  "SocketTimeout",
  "TooManyConnections",
];

const UNAVAILABLE_TEXT =
  /timeout exceeded when trying to connect|Connection terminated|connect ECONNREFUSED|Unable to start a transaction in the given time|Can't reach database server|server closed the connection|Server has closed the connection|Connection refused|terminating connection|the database system is (starting up|shutting down|in recovery mode|not yet accepting connections)|Query read timeout|in use by another Wakeboard process/i;

/** The SQLSTATE of a PostgreSQL error, however deep Prisma or the driver adapter wrapped it. */
export function sqlState(error: unknown, depth = 0): string | undefined {
  if (!error || typeof error !== "object" || depth > 6) return undefined;
  const e = error as { code?: unknown; originalCode?: unknown; meta?: { driverAdapterError?: unknown }; cause?: unknown };
  for (const c of [e.originalCode, e.code]) if (typeof c === "string" && /^[0-9A-Z]{5}$/.test(c) && !c.startsWith("P")) return c;
  return sqlState(e.meta?.driverAdapterError, depth + 1) ?? sqlState(e.cause, depth + 1);
}

// Statement timeout (57014: query_canceled) and lock timeout (55P03: lock_not_available):
// the database is there but too busy for this request within its limits → 503, retry soon.
const BUSY = new Set(["57014", "55P03"]);

/** Whether an error means "the database is too busy right now" (→ 503 + Retry-After), not a bug. */
export function isDatabaseBusy(error: unknown): boolean {
  const state = sqlState(error);
  return state !== undefined && BUSY.has(state);
}

/** Whether an error means "the database is not there right now" (→ 503), not a bug (→ 500). */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 5) return false;
  const e = error as { code?: unknown; kind?: unknown; message?: unknown; cause?: unknown; errors?: unknown[] };
  if (typeof e.code === "string" && UNAVAILABLE.includes(e.code)) return true;
  // A SQLSTATE wrapped by Prisma (its own code is P20xx): connection exceptions (class 08),
  // and the server shutting down, starting or recovering (57P01–57P03: seen in the chaos suite).
  const state = depth === 0 ? sqlState(error) : undefined;
  if (state && (state.startsWith("08") || UNAVAILABLE.includes(state))) return true;
  if (typeof e.kind === "string" && UNAVAILABLE.includes(e.kind)) return true;
  if (typeof e.message === "string" && UNAVAILABLE_TEXT.test(e.message)) return true;
  if (Array.isArray(e.errors) && e.errors.some((x) => isDatabaseUnavailable(x, depth + 1))) return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
}

/**
 * Any error a request handler threw, as the ApiError the client gets: its own status for an
 * ApiError, 503 + Retry-After when the database is away or too busy, else a logged 500.
 * The one map for the Next routes (lib/http/route.ts) and the fast lane (lib/http/fast-lane.ts).
 */
export function toApiError(e: unknown, requestId: string): ApiError {
  if (e instanceof ApiError) return e;
  if (isDatabaseBusy(e)) {
    log.warn({ requestId, err: (e as Error).message }, "database busy (statement or lock timeout)");
    return new ApiError(503, "database_busy", "The database is too busy to answer in time; retry shortly", undefined, { "retry-after": "2" });
  }
  if (isDatabaseUnavailable(e)) {
    log.warn({ requestId, err: (e as Error).message }, "database unavailable");
    return new ApiError(503, "database_unavailable", "The database is unavailable; retry shortly", undefined, { "retry-after": "5" });
  }
  log.error({ requestId, err: e }, "unhandled error");
  return new ApiError(500, "internal", `Internal error (request ${requestId})`);
}

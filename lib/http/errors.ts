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
  /timeout exceeded when trying to connect|Connection terminated|connect ECONNREFUSED|Unable to start a transaction in the given time|Can't reach database server|server closed the connection|Server has closed the connection|Connection refused|terminating connection|the database system is (starting up|shutting down)|Query read timeout|in use by another Wakeboard process/i;

/** Whether an error means "the database is not there right now" (→ 503), not a bug (→ 500). */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 5) return false;
  const e = error as { code?: unknown; kind?: unknown; message?: unknown; cause?: unknown; errors?: unknown[] };
  if (typeof e.code === "string" && UNAVAILABLE.includes(e.code)) return true;
  if (typeof e.kind === "string" && UNAVAILABLE.includes(e.kind)) return true;
  if (typeof e.message === "string" && UNAVAILABLE_TEXT.test(e.message)) return true;
  if (Array.isArray(e.errors) && e.errors.some((x) => isDatabaseUnavailable(x, depth + 1))) return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
}

import { config } from "@/lib/config";
import { ApiError } from "@/lib/http/errors";
import { SharedLimiter } from "@/lib/http/shared-limiter";

// Rate limits of the read and export APIs (issue 11, item 10), per API key or signed-in
// user: WAKEBOARD_READ_RATE_LIMIT (default 20 requests/s, burst 40) for the JSON read API,
// WAKEBOARD_EXPORT_RATE_LIMIT (default 2/s, burst 20) for CSV exports, which read far more.
// The buckets are shared by every instance on the database (lib/http/shared-limiter.ts).

export type ReadLimit = "read" | "export";

const store = globalThis as unknown as { __wakeboardReadLimiter?: SharedLimiter };

/** Takes one request from the caller's bucket: the X-RateLimit-* headers, or throws 429 with Retry-After. */
export async function enforceReadRateLimit(kind: ReadLimit, caller: string, now?: number): Promise<Record<string, string>> {
  const { rate, burst } = kind === "read" ? config().WAKEBOARD_READ_RATE_LIMIT : config().WAKEBOARD_EXPORT_RATE_LIMIT;
  const d = await (store.__wakeboardReadLimiter ??= new SharedLimiter()).take(`${kind}:${caller}`, rate, burst, now);
  if (d.retryAfter > 0) {
    throw new ApiError(429, "rate_limited", `Too many ${kind} requests: at most ${rate} per second (burst ${burst}); retry after ${d.retryAfter} s`, undefined, {
      ...d.headers,
      "retry-after": String(d.retryAfter),
    });
  }
  return d.headers;
}

/** Tests change the limits between cases. */
export function resetReadRateLimits(): void {
  store.__wakeboardReadLimiter = undefined;
}

import { config } from "@/lib/config";
import { ApiError } from "@/lib/http/errors";
import { RateLimiter } from "@/lib/http/rate-limit";

// Rate limits of the read and export APIs (issue 11, item 10), per API key or signed-in
// user: WAKEBOARD_READ_RATE_LIMIT (default 20 requests/s, burst 40) for the JSON read API,
// WAKEBOARD_EXPORT_RATE_LIMIT (default 2/s, burst 20) for CSV exports, which read far more.
// Buckets live in this process (like the ingest limit without a shared store).

export type ReadLimit = "read" | "export";

const store = globalThis as unknown as { __wakeboardReadLimiters?: Map<ReadLimit, RateLimiter> };

/** Takes one request from the caller's bucket, or throws 429 with Retry-After. */
export function enforceReadRateLimit(kind: ReadLimit, caller: string, now = Date.now()): void {
  const { rate, burst } = kind === "read" ? config().WAKEBOARD_READ_RATE_LIMIT : config().WAKEBOARD_EXPORT_RATE_LIMIT;
  const limiters = (store.__wakeboardReadLimiters ??= new Map());
  let limiter = limiters.get(kind);
  if (!limiter) limiters.set(kind, (limiter = new RateLimiter(rate, burst)));
  const wait = limiter.take(caller, now, rate, burst);
  if (wait > 0) {
    throw new ApiError(429, "rate_limited", `Too many ${kind} requests: at most ${rate} per second (burst ${burst}); retry after ${wait} s`, undefined, {
      "retry-after": String(wait),
    });
  }
}

/** Tests change the limits between cases. */
export function resetReadRateLimits(): void {
  store.__wakeboardReadLimiters = undefined;
}

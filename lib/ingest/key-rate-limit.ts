import { config } from "@/lib/config";
import { ApiError } from "@/lib/http/errors";
import { SharedLimiter } from "@/lib/http/shared-limiter";

// Per-key request rate for the ingest endpoints (DESIGN.md §4.1): WAKEBOARD_RATE_LIMIT
// ("rate:burst", default 200:400), or the key's own rate_limit (burst = twice the rate).
// The bucket is shared by every instance on the database (lib/http/shared-limiter.ts): the
// limit holds for the sum of all instances' requests.

const store = globalThis as unknown as { __wakeboardKeyLimiter?: SharedLimiter };

function limiter(): SharedLimiter {
  return (store.__wakeboardKeyLimiter ??= new SharedLimiter());
}

/**
 * Takes one request from the key's bucket: the X-RateLimit-* headers for the answer, or
 * throws 429 with Retry-After and the same headers.
 */
export async function enforceKeyRateLimit(key: { id: number; rateLimit: number | null }, now?: number): Promise<Record<string, string>> {
  const own = key.rateLimit && key.rateLimit > 0 ? key.rateLimit : null;
  const { rate: defaultRate, burst: defaultBurst } = config().WAKEBOARD_RATE_LIMIT;
  const rate = own ?? defaultRate;
  const burst = own ? own * 2 : defaultBurst;
  const d = await limiter().take(`ingest:key:${key.id}`, rate, burst, now);
  if (d.retryAfter > 0) {
    throw new ApiError(429, "rate_limited", `This API key is limited to ${rate} requests per second (burst ${burst}); retry after ${d.retryAfter} s`, undefined, {
      ...d.headers,
      "retry-after": String(d.retryAfter),
    });
  }
  return d.headers;
}

/** An error thrown after the limit was taken, carrying the X-RateLimit-* headers too. */
export function withLimitHeaders(e: unknown, headers: Record<string, string>): unknown {
  return e instanceof ApiError ? new ApiError(e.status, e.code, e.message, e.details, { ...headers, ...(e.headers ?? {}) }) : e;
}

/** Tests change WAKEBOARD_RATE_LIMIT (and the database) between cases. */
export function resetKeyRateLimits(): void {
  store.__wakeboardKeyLimiter = undefined;
}

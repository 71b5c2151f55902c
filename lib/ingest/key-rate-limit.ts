import { config } from "@/lib/config";
import { ApiError } from "@/lib/http/errors";
import { RateLimiter } from "@/lib/http/rate-limit";

// Per-key request rate for the ingest endpoints (DESIGN.md §4.1): WAKEBOARD_RATE_LIMIT
// ("rate:burst", default 200:400), or the key's own rate_limit (burst = twice the rate).
// The buckets live in this process: with several instances each allows the full rate.

const store = globalThis as unknown as { __wakeboardKeyLimiter?: RateLimiter };

function limiter(): RateLimiter {
  const { rate, burst } = config().WAKEBOARD_RATE_LIMIT;
  return (store.__wakeboardKeyLimiter ??= new RateLimiter(rate, burst));
}

/** Takes one request from the key's bucket, or throws 429 with Retry-After. */
export function enforceKeyRateLimit(key: { id: number; rateLimit: number | null }, now = Date.now()): void {
  const own = key.rateLimit && key.rateLimit > 0 ? key.rateLimit : null;
  const { rate, burst } = config().WAKEBOARD_RATE_LIMIT;
  const wait = limiter().take(`key:${key.id}`, now, own ?? rate, own ? own * 2 : burst);
  if (wait > 0) {
    throw new ApiError(429, "rate_limited", `This API key is limited to ${own ?? rate} requests per second (burst ${own ? own * 2 : burst}); retry after ${wait} s`, undefined, {
      "retry-after": String(wait),
    });
  }
}

/** Tests change WAKEBOARD_RATE_LIMIT between cases. */
export function resetKeyRateLimits(): void {
  store.__wakeboardKeyLimiter = undefined;
}

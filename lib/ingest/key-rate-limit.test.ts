import { afterEach, describe, expect, it } from "vitest";
import { enforceKeyRateLimit, resetKeyRateLimits } from "@/lib/ingest/key-rate-limit";
import { ApiError } from "@/lib/http/errors";

// The per-key bucket on a clock the test passes in: a key's own limit gives a burst of twice
// its rate, refused requests say how long to wait, and after that wait the key gets through.

afterEach(() => resetKeyRateLimits());

function refusal(fn: () => void): ApiError | null {
  try {
    fn();
    return null;
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
}

describe("enforceKeyRateLimit", () => {
  const key = { id: 7, rateLimit: 1 };
  const t0 = Date.parse("2026-12-01T09:00:00Z");

  it("answers 429 past the key's burst and lets it through again after Retry-After", () => {
    expect(refusal(() => enforceKeyRateLimit(key, t0))).toBeNull();
    expect(refusal(() => enforceKeyRateLimit(key, t0))).toBeNull();
    const refused = refusal(() => enforceKeyRateLimit(key, t0));
    expect(refused?.status).toBe(429);
    const wait = Number(refused?.headers?.["retry-after"]);
    expect(wait).toBeGreaterThanOrEqual(1);
    // Still refused a moment before the wait is over, let through once it is.
    expect(refusal(() => enforceKeyRateLimit(key, t0 + wait * 1000 - 100))?.status).toBe(429);
    expect(refusal(() => enforceKeyRateLimit(key, t0 + wait * 1000))).toBeNull();
  });

  it("keeps each key's bucket apart", () => {
    enforceKeyRateLimit(key, t0);
    enforceKeyRateLimit(key, t0);
    expect(refusal(() => enforceKeyRateLimit({ id: 8, rateLimit: 1 }, t0))).toBeNull();
  });
});

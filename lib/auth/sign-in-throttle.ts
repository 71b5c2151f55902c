// Sign-in throttling: counts failed attempts per email and per client address in a window;
// once over the limit, further attempts are refused without checking the password until the
// window ends. A successful sign-in clears the email's count, so people who type their password
// right are never slowed down (the e2e suites sign in many times). In-memory, per instance.

export class FailureThrottle {
  private failures = new Map<string, { count: number; until: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Seconds until `key` may try again (0 = now). */
  blockedFor(key: string, now = Date.now()): number {
    const f = this.failures.get(key);
    if (!f || f.until <= now) return 0;
    return f.count >= this.limit ? Math.ceil((f.until - now) / 1000) : 0;
  }

  fail(key: string, now = Date.now()): void {
    const f = this.failures.get(key);
    if (!f || f.until <= now) this.failures.set(key, { count: 1, until: now + this.windowMs });
    else f.count++;
    if (this.failures.size > 100_000) for (const [k, v] of this.failures) if (v.until <= now) this.failures.delete(k);
  }

  clear(key: string): void {
    this.failures.delete(key);
  }
}

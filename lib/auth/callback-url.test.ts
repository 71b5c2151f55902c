import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { safeCallbackUrl, safeRedirect } from "@/lib/auth/callback-url";

// Issue 11, item 5: the callback URL after sign-in never leaves the site, whatever the
// spelling, and a malformed one never throws.

const BASE = "https://wakeboard.example.com";

/** Where a browser would really go from this site with the answer as Location. */
const landsOn = (location: string) => new URL(location, `${BASE}/login`).origin;

describe("safeCallbackUrl", () => {
  const escapes = ["//evil.com", "/.//evil.com", "/%2e//evil.com", "/a/..//evil.com", "/\\evil.com", "/\\/evil.com", "/%2F%2Fevil.com", "/%5Cevil.com", "/\t/evil.com", "/ /evil.com", "https://evil.com", "javascript:alert(1)", "/a/%2e%2e//evil.com", "/%252F%252Fevil.com"];
  for (const raw of escapes) {
    it(`keeps ${JSON.stringify(raw)} on the site`, () => {
      const out = safeCallbackUrl(raw);
      expect(out.startsWith("/")).toBe(true);
      expect(out.startsWith("//")).toBe(false);
      expect(landsOn(out)).toBe(BASE);
    });
  }

  it("keeps ordinary local paths with their query and hash", () => {
    expect(safeCallbackUrl("/leaderboard?period=30d#top")).toBe("/leaderboard?period=30d#top");
    expect(safeCallbackUrl("/teams/payments")).toBe("/teams/payments");
  });

  it("never throws and never leaves the site, for any string", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.webUrl(), fc.webPath(), fc.string({ unit: "binary" })), (raw) => {
        const out = safeCallbackUrl(raw);
        expect(landsOn(out)).toBe(BASE);
        expect(out.startsWith("//")).toBe(false);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 500) },
    );
  });
});

describe("safeRedirect (next-auth's redirect callback)", () => {
  it("keeps same-origin URLs, sends every other one home, and never throws", () => {
    expect(safeRedirect({ url: `${BASE}/trends?x=1`, baseUrl: BASE })).toBe(`${BASE}/trends?x=1`);
    expect(safeRedirect({ url: "https://evil.com/x", baseUrl: BASE })).toBe(`${BASE}/`);
    expect(safeRedirect({ url: "http://[::1", baseUrl: BASE })).toBe(`${BASE}/`);
    expect(safeRedirect({ url: "/.//evil.com", baseUrl: BASE })).toBe(`${BASE}/`);
    fc.assert(
      fc.property(fc.string(), (url) => {
        expect(new URL(safeRedirect({ url, baseUrl: BASE })).origin).toBe(BASE);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 500) },
    );
  });
});

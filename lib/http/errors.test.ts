import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "@/lib/http/errors";

// What the chaos suite (test/chaos) met while PostgreSQL restarted: Prisma's wrapper of
// "57P03 the database system is not yet accepting connections" answered 500, not 503.
describe("isDatabaseUnavailable", () => {
  it("recognises a restarting server however Prisma wraps it", () => {
    const wrapped = { code: "P2010", message: "Invalid `prisma.apiKey.findMany()` invocation:\n\nDatabase error. Code: `57P03`. Message: `the database system is not yet accepting connections`" };
    expect(isDatabaseUnavailable(wrapped)).toBe(true);
    expect(isDatabaseUnavailable({ code: "P2010", message: "x", meta: { driverAdapterError: { cause: { originalCode: "57P03" } } } })).toBe(true);
    expect(isDatabaseUnavailable({ code: "P2010", message: "x", meta: { driverAdapterError: { cause: { originalCode: "08006" } } } })).toBe(true);
  });

  it("leaves real errors alone", () => {
    expect(isDatabaseUnavailable({ code: "P2010", message: "x", meta: { driverAdapterError: { cause: { originalCode: "23505" } } } })).toBe(false);
    expect(isDatabaseUnavailable(new TypeError("x is undefined"))).toBe(false);
  });
});

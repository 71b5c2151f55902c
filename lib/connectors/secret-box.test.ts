import { describe, expect, it } from "vitest";
import { seal, unseal, SecretUnreadableError } from "@/lib/connectors/secret-box";

const K1 = "k".repeat(40);
const K2 = "q".repeat(40);

describe("connector credentials at rest", () => {
  it("round-trips and never stores the plain text", () => {
    const sealed = seal("ghp_secretToken123", K1);
    expect(sealed).not.toContain("ghp_secretToken123");
    expect(sealed).not.toContain(Buffer.from("ghp_secretToken123").toString("base64url"));
    expect(unseal(sealed, K1)).toBe("ghp_secretToken123");
  });

  it("uses a fresh IV each time", () => {
    expect(seal("same", K1)).not.toBe(seal("same", K1));
  });

  it("refuses a wrong key or a tampered value", () => {
    const sealed = seal("token", K1);
    expect(() => unseal(sealed, K2)).toThrow(SecretUnreadableError);
    const parts = sealed.split(".");
    const body = Buffer.from(parts[3], "base64url");
    body[0] ^= 1;
    parts[3] = body.toString("base64url");
    expect(() => unseal(parts.join("."), K1)).toThrow(SecretUnreadableError);
    expect(() => unseal("garbage", K1)).toThrow(SecretUnreadableError);
  });
});

import type { NextAuthOptions } from "next-auth";
import { safeRedirect } from "@/lib/auth/callback-url";
import { textProblem } from "@/lib/text/safe-text";
import CredentialsProvider from "next-auth/providers/credentials";
import { db } from "@/lib/db/client";
import { config } from "@/lib/config";
import { log } from "@/lib/log";
import { verifyPassword } from "@/lib/auth/password";
import { beginSignIn, signInSucceeded } from "@/lib/auth/sign-in-throttle";
import { CLIENT_ADDRESS_HEADER } from "@/lib/http/client-address";
import { metrics } from "@/lib/metrics/registry";

// next-auth v4. The JWT carries only the user's id: role, managed teams and "disabled" are
// read from the database on each request (lib/auth/viewer.ts), so changes reach live sessions.

/**
 * The client's address as authorize() sees it: next-auth hands it the request's headers, not
 * the socket, so the production server's listener resolves the address (trusted proxies or
 * the connection's own) into CLIENT_ADDRESS_HEADER, overwriting any client-sent value. Without
 * that listener (`next dev`) only X-Forwarded-For is there: its right-most entry, which Next
 * itself sets from the socket when the client sent none.
 */
export function signInAddress(headers: Record<string, unknown> | undefined): string {
  const resolved = headers?.[CLIENT_ADDRESS_HEADER];
  if (typeof resolved === "string" && resolved) return resolved.slice(0, 64);
  const fwd = headers?.["x-forwarded-for"];
  return (typeof fwd === "string" ? (fwd.split(",").pop() ?? "") : "").trim().slice(0, 64) || "unknown";
}

export function oidcEnabled(): boolean {
  return Boolean(config().OIDC_ISSUER);
}

function providers(): NextAuthOptions["providers"] {
  const c = config();
  const list: NextAuthOptions["providers"] = [
    CredentialsProvider({
      id: "credentials",
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        const email = credentials?.email?.trim().toLowerCase() ?? "";
        const password = credentials?.password ?? "";
        if (!email || !password) return null;
        const address = signInAddress(req?.headers);
        const wait = await beginSignIn(email, address);
        if (wait > 0) {
          log.warn({ email, address, wait }, "sign-in throttled");
          metrics().rateLimited.inc({ endpoint: "/api/auth/*", limiter: "sign_in" });
          throw new Error(`Too many failed sign-in attempts from this address. Try again in ${wait < 120 ? `${wait} seconds` : `${Math.ceil(wait / 60)} minutes`}.`);
        }
        const user = await (await db()).user.findUnique({ where: { email } });
        const ok = await verifyPassword(password, user?.passwordHash);
        if (!user || !ok || user.disabledAt) return null;
        await signInSucceeded(email, address);
        await (await db()).user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
        return { id: String(user.id), email: user.email, name: user.name };
      },
    }),
  ];
  if (c.OIDC_ISSUER) {
    list.push({
      id: "oidc",
      name: "Single sign-on",
      type: "oauth",
      wellKnown: `${c.OIDC_ISSUER.replace(/\/$/, "")}/.well-known/openid-configuration`,
      clientId: c.OIDC_CLIENT_ID,
      clientSecret: c.OIDC_CLIENT_SECRET,
      authorization: { params: { scope: "openid email profile" } },
      idToken: true,
      checks: ["pkce", "state"],
      profile(p: { sub: string; email?: string; name?: string }) {
        return { id: p.sub, email: p.email?.toLowerCase() ?? null, name: p.name ?? p.email ?? null };
      },
    });
  }
  return list;
}

export interface OidcProfile {
  email?: string | null;
  name?: string | null;
  email_verified?: boolean | string | null;
}

/**
 * The Wakeboard user behind an OIDC sign-in, or why not. Existing users (created by an admin or
 * an earlier sign-in) get in unless disabled; a first sign-in creates the user with
 * WAKEBOARD_OIDC_DEFAULT_ROLE, unless WAKEBOARD_OIDC_ALLOWED_DOMAINS excludes the email's
 * domain. An email the provider says is unverified is never trusted.
 */
export async function oidcUser(profile: OidcProfile): Promise<{ id: number } | { refused: string }> {
  const c = config();
  const email = profile.email?.trim().toLowerCase();
  if (!email) return { refused: "no email claim" };
  if (profile.email_verified === false || profile.email_verified === "false") return { refused: "email not verified" };
  const domain = email.split("@")[1] ?? "";
  const prisma = await db();
  const existing = await prisma.user.findUnique({ where: { email } });
  if (existing) {
    if (existing.disabledAt) return { refused: "user disabled" };
    await prisma.user.update({ where: { id: existing.id }, data: { lastLoginAt: new Date() } });
    return { id: existing.id };
  }
  if (c.WAKEBOARD_OIDC_ALLOWED_DOMAINS.length && !c.WAKEBOARD_OIDC_ALLOWED_DOMAINS.includes(domain)) return { refused: `domain ${domain} not allowed` };
  const user = await prisma.$transaction(async (tx) => {
    // A provider's display name with control characters is not stored (the email identifies the user).
    const name = profile.name && !textProblem(profile.name) ? profile.name : "";
    const u = await tx.user.create({ data: { email, name, role: c.WAKEBOARD_OIDC_DEFAULT_ROLE, lastLoginAt: new Date() } });
    await tx.auditLog.create({ data: { actor: email, action: "user.create.oidc", targetType: "user", targetId: String(u.id), details: { role: u.role } } });
    return u;
  });
  return { id: user.id };
}

let cached: NextAuthOptions | undefined;

export function authOptions(): NextAuthOptions {
  cached ??= {
    secret: process.env.NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: 12 * 3600 },
    pages: { signIn: "/login", error: "/login" },
    providers: providers(),
    callbacks: {
      // Never off-site, never a 500 for a malformed callback URL (form field or cookie).
      redirect: async (params) => safeRedirect(params),
      async signIn({ user, account, profile }) {
        if (account?.provider !== "oidc") return true;
        const result = await oidcUser({ email: user.email, name: user.name, email_verified: (profile as OidcProfile | undefined)?.email_verified });
        if ("refused" in result) {
          log.warn({ email: user.email, reason: result.refused }, "single sign-on refused");
          return "/login?error=AccessDenied";
        }
        (user as { wakeboardId?: number }).wakeboardId = result.id;
        return true;
      },
      async jwt({ token, user, account }) {
        if (user) {
          token.uid = account?.provider === "oidc" ? (user as { wakeboardId?: number }).wakeboardId : Number(user.id);
        }
        return { uid: token.uid, sub: token.sub, iat: token.iat, exp: token.exp, jti: token.jti };
      },
      async session({ session, token }) {
        return { expires: session.expires, user: { id: token.uid } } as typeof session;
      },
    },
  };
  return cached;
}

import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { db } from "@/lib/db/client";
import { config } from "@/lib/config";
import { log } from "@/lib/log";
import { verifyPassword } from "@/lib/auth/password";
import { RateLimiter } from "@/lib/http/rate-limit";

// next-auth v4. The JWT carries only the user's id: role, managed teams and "disabled" are
// read from the database on each request (lib/auth/viewer.ts), so changes reach live sessions.

const signInLimiter = new RateLimiter(10 / 900, 10); // 10 attempts per email per 15 minutes

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
      async authorize(credentials) {
        const email = credentials?.email?.trim().toLowerCase() ?? "";
        const password = credentials?.password ?? "";
        if (!email || !password) return null;
        if (signInLimiter.take(email) > 0) {
          log.warn({ email }, "sign-in rate limited");
          throw new Error("Too many sign-in attempts. Wait a few minutes and try again.");
        }
        const user = await (await db()).user.findUnique({ where: { email } });
        const ok = await verifyPassword(password, user?.passwordHash);
        if (!user || !ok || user.disabledAt) return null;
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

/** First OIDC sign-in creates the user with the default role, unless the domain is not allowed. */
async function oidcUserId(email: string | null | undefined, name: string | null | undefined): Promise<number | null> {
  const c = config();
  if (!email) return null;
  const domain = email.split("@")[1] ?? "";
  const prisma = await db();
  const existing = await prisma.user.findUnique({ where: { email } });
  if (existing) return existing.disabledAt ? null : existing.id;
  if (c.WAKEBOARD_OIDC_ALLOWED_DOMAINS.length && !c.WAKEBOARD_OIDC_ALLOWED_DOMAINS.includes(domain)) return null;
  const user = await prisma.user.create({ data: { email, name: name ?? "", role: c.WAKEBOARD_OIDC_DEFAULT_ROLE } });
  await prisma.auditLog.create({ data: { actor: email, action: "user.create.oidc", targetType: "user", targetId: String(user.id), details: { role: user.role } } });
  return user.id;
}

let cached: NextAuthOptions | undefined;

export function authOptions(): NextAuthOptions {
  cached ??= {
    secret: process.env.NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: 12 * 3600 },
    pages: { signIn: "/login", error: "/login" },
    providers: providers(),
    callbacks: {
      async signIn({ user, account }) {
        if (account?.provider !== "oidc") return true;
        const id = await oidcUserId(user.email, user.name);
        if (id === null) return "/login?error=AccessDenied";
        (user as { wakeboardId?: number }).wakeboardId = id;
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

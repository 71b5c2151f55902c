// GET/POST /api/auth/* – next-auth's sign-in, callback, session and sign-out endpoints.
// Public by nature; next-auth checks its own CSRF token on every state-changing POST.
import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

const handler = route<{ nextauth: string[] }>({ public: true }, async ({ req, params }) =>
  NextAuth(authOptions())(req, { params: Promise.resolve(params) }),
);

export { handler as GET, handler as POST };

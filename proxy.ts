import { withAuth } from "next-auth/middleware";

// A first gate only: pages still check the session and role on the server. API routes are
// excluded so their clients get 401/403 JSON, never a redirect (and bodies are not buffered).
export default withAuth({ pages: { signIn: "/login" } });

export const config = {
  matcher: ["/((?!api/|_next/|login|forbidden|favicon.ico|.*\\.(?:png|svg|ico|woff2|txt)$).*)"],
};

/**
 * The path to return to after signing in, when it is one of ours: a local path, never
 * `//host` or `/\host` (which browsers treat as another origin). Anything else becomes "/".
 */
export function safeCallbackUrl(raw: string | null | undefined): string {
  if (!raw || !raw.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\")) return "/";
  try {
    const url = new URL(raw, "http://wakeboard.invalid");
    return url.origin === "http://wakeboard.invalid" ? `${url.pathname}${url.search}${url.hash}` : "/";
  } catch {
    return "/";
  }
}

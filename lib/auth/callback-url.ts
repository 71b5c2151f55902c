// Where to send someone after signing in (issue 11, item 5): only a path of this site.
// Browsers read `//host`, `/\host` and `\\host` as another origin, and a path that looks
// local can normalise into one (`/.//evil.com`, `/%2e//evil.com`, `/a/..//evil.com`), so the
// path is checked after normalisation, and anything doubtful becomes "/". Never throws.

const BASE = "http://wakeboard.invalid";

/** A local path (with query and hash) that stays on this site, else "/". */
export function safeCallbackUrl(raw: unknown): string {
  if (typeof raw !== "string" || raw.length > 2048) return "/";
  // Control characters and backslashes are never in a path of ours; browsers strip or turn them into "/".
  if (!raw.startsWith("/") || /[\\\u0000-\u001F\u007F]/.test(raw)) return "/";
  try {
    const url = new URL(raw, BASE);
    if (url.origin !== BASE) return "/";
    const path = `${url.pathname}${url.search}${url.hash}`;
    // The normalised path must itself be unambiguous: one leading slash, no backslash.
    if (!path.startsWith("/") || path.startsWith("//") || /\\/.test(path)) return "/";
    // Decoding must not reveal another origin either (`/%2F%2Fevil.com` is `//evil.com` to some servers).
    let decoded = url.pathname;
    for (let i = 0; i < 3 && /%/.test(decoded); i++) {
      try {
        decoded = decodeURIComponent(decoded);
      } catch {
        return "/";
      }
    }
    if (decoded.startsWith("//") || /\\/.test(decoded) || decoded.includes("/../") || /[\u0000-\u001F]/.test(decoded)) return "/";
    return path;
  } catch {
    return "/";
  }
}

/**
 * next-auth's redirect callback: a same-origin absolute URL or a local path is kept (as an
 * absolute URL on `baseUrl`), anything else, malformed or not, goes to the home page.
 */
export function safeRedirect({ url, baseUrl }: { url: string; baseUrl: string }): string {
  const base = baseUrl.replace(/\/+$/, "");
  let candidate: unknown = url;
  if (typeof url === "string" && !url.startsWith("/")) {
    try {
      const u = new URL(url);
      candidate = u.origin === new URL(base).origin ? `${u.pathname}${u.search}${u.hash}` : "/";
    } catch {
      candidate = "/";
    }
  }
  return `${base}${safeCallbackUrl(candidate)}`;
}

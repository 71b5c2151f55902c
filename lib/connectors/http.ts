import { config } from "@/lib/config";

// Every vendor request goes through here: 429 waits for Retry-After (seconds or an HTTP
// date, capped by WAKEBOARD_CONNECTOR_MAX_WAIT_S), 5xx and network failures back off
// exponentially, 401/403 are credential errors that no retry can fix. Errors never carry the
// request's headers, so a credential cannot reach a log line or the admin page.

export type VendorErrorKind = "credentials" | "forbidden" | "not-found" | "rate-limited" | "server" | "network" | "bad-response" | "link-expired";

export class VendorError extends Error {
  constructor(
    message: string,
    readonly kind: VendorErrorKind,
    readonly status?: number,
  ) {
    super(message);
  }
}

export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export interface HttpOptions {
  /** Injected by tests to see the waits asked for without waiting them out. */
  sleep?: Sleep;
  fetch?: typeof fetch;
  maxAttempts?: number;
  /** Called before each retry with the reason and the wait. */
  onRetry?: (info: { status?: number; waitMs: number; attempt: number }) => void;
  signal?: AbortSignal;
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

const vendorMessage = async (res: Response): Promise<string> => {
  const text = await res.text().catch(() => "");
  try {
    const j = JSON.parse(text) as { message?: string; error?: { message?: string } | string };
    const m = (typeof j.error === "object" ? j.error?.message : undefined) ?? j.message ?? (typeof j.error === "string" ? j.error : undefined);
    if (m) return String(m).slice(0, 300);
  } catch {
    /* not JSON */
  }
  return text.slice(0, 200) || res.statusText;
};

/** A request with the retry rules above; answers the first 2xx response. */
export async function vendorFetch(url: string, init: RequestInit, opts: HttpOptions = {}): Promise<Response> {
  const sleep = opts.sleep ?? realSleep;
  const doFetch = opts.fetch ?? fetch;
  const maxAttempts = opts.maxAttempts ?? 6;
  const cap = config().WAKEBOARD_CONNECTOR_MAX_WAIT_S * 1000;
  const host = new URL(url).host;
  for (let attempt = 1; ; attempt++) {
    let res: Response;
    try {
      res = await doFetch(url, { ...init, signal: opts.signal ?? AbortSignal.timeout(60_000), redirect: "follow" });
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      const why = [(e as Error).message, cause?.code ?? cause?.message].filter(Boolean).join(": ");
      if (attempt >= maxAttempts) throw new VendorError(`cannot reach ${host}: ${why}`, "network");
      const waitMs = Math.min(cap, 1000 * 2 ** (attempt - 1));
      opts.onRetry?.({ waitMs, attempt });
      await sleep(waitMs);
      continue;
    }
    if (res.ok) return res;
    const limited = res.status === 429 || (res.status === 403 && (res.headers.get("retry-after") !== null || res.headers.get("x-ratelimit-remaining") === "0"));
    if (limited || res.status >= 500) {
      const reset = res.headers.get("x-ratelimit-reset");
      const waitMs = Math.min(
        cap,
        retryAfterMs(res.headers.get("retry-after")) ??
          (reset && /^\d+$/.test(reset) ? Math.max(0, Number(reset) * 1000 - Date.now()) : null) ??
          (limited ? 60_000 : 1000 * 2 ** (attempt - 1)),
      );
      const message = await vendorMessage(res);
      if (attempt >= maxAttempts) {
        throw new VendorError(`${host} answered ${res.status} ${limited ? "(rate limited)" : ""} ${attempt} times: ${message}`.replace(/\s+/g, " "), limited ? "rate-limited" : "server", res.status);
      }
      opts.onRetry?.({ status: res.status, waitMs, attempt });
      await sleep(waitMs);
      continue;
    }
    const message = await vendorMessage(res);
    if (res.status === 401) throw new VendorError(`${host} refused the credentials (401 ${message}): check or replace them on the connector`, "credentials", 401);
    if (res.status === 403) throw new VendorError(`${host} denied access (403 ${message}): the credentials lack a permission or scope (see docs/connectors.md)`, "forbidden", 403);
    if (res.status === 404) throw new VendorError(`${host} answered 404 (${message}): check the base URL and the organization / enterprise`, "not-found", 404);
    throw new VendorError(`${host} answered ${res.status}: ${message}`, "bad-response", res.status);
  }
}

/** GET/POST returning parsed JSON, with the retry rules above. */
export async function vendorJson<T>(url: string, init: RequestInit, opts: HttpOptions = {}): Promise<T> {
  const res = await vendorFetch(url, init, opts);
  const text = await res.text();
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new VendorError(`${new URL(url).host} answered with something that is not JSON`, "bad-response", res.status);
  }
}

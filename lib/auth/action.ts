import { headers } from "next/headers";
import type { z } from "zod";
import type { Role } from "@/lib/generated/prisma/enums";
import { currentViewer, type Viewer } from "@/lib/auth/viewer";
import { isDatabaseUnavailable } from "@/lib/http/errors";
import { log } from "@/lib/log";
import { AdminError } from "@/lib/admin/errors";

// Every server action runs through `action()`: it declares the roles it needs, checks the
// session (read from the database, not the cookie), refuses a cross-origin call (CSRF), and
// validates its input with zod — in that order, so an anonymous caller learns nothing about
// the input's shape. Next.js checks Origin for actions too; this does not rely on it.

export interface ActionAccess {
  roles: Role[];
}

export type ActionResult<T = undefined> =
  | { ok: true; data: T; message?: string }
  | { ok: false; code: "unauthorized" | "forbidden" | "invalid" | "conflict" | "unavailable" | "internal"; message: string; fieldErrors?: Record<string, string> };


/** Same-origin check on the request that carries the action (Origin, else Sec-Fetch-Site). */
export function isSameOrigin(h: Pick<Headers, "get">): boolean {
  const origin = h.get("origin");
  if (!origin) return h.get("sec-fetch-site") !== "cross-site";
  const host = h.get("x-forwarded-host") ?? h.get("host");
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** FormData → plain object (repeated names become arrays; empty file inputs are dropped). */
function formToObject(form: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of form.entries()) {
    if (k.startsWith("$ACTION")) continue;
    const value = typeof v === "string" ? v : v.size ? v : undefined;
    if (value === undefined) continue;
    const prev = out[k];
    out[k] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

/**
 * Wraps a server action. The result works with `useActionState` (called as `(prev, formData)`),
 * with `<form action>` (called as `(formData)`) and directly (called with an object).
 */
export function action<S extends z.ZodType, T>(access: ActionAccess, schema: S, fn: (input: z.infer<S>, viewer: Viewer) => Promise<T>) {
  const run = async (...args: unknown[]): Promise<ActionResult<T>> => {
    try {
      const viewer = await currentViewer();
      if (!viewer) return { ok: false, code: "unauthorized", message: "Your session has ended: sign in again." };
      if (!access.roles.includes(viewer.role)) return { ok: false, code: "forbidden", message: "You do not have permission to do this." };
      if (!isSameOrigin(await headers())) return { ok: false, code: "forbidden", message: "Cross-origin request refused." };
      const raw = args.length ? args[args.length - 1] : undefined;
      const parsed = schema.safeParse(raw instanceof FormData ? formToObject(raw) : raw);
      if (!parsed.success) {
        const fieldErrors: Record<string, string> = {};
        for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0] ?? "_")] ??= issue.message;
        return { ok: false, code: "invalid", message: "Check the highlighted fields.", fieldErrors };
      }
      return { ok: true, data: await fn(parsed.data, viewer) };
    } catch (e) {
      if (e instanceof AdminError) return { ok: false, code: "conflict", message: e.message, ...(e.field ? { fieldErrors: { [e.field]: e.message } } : {}) };
      if (isDatabaseUnavailable(e)) return { ok: false, code: "unavailable", message: "The database is unavailable; try again shortly." };
      log.error({ err: e }, "server action failed");
      return { ok: false, code: "internal", message: "Something went wrong; the change was not saved." };
    }
  };
  return Object.assign(run, { access });
}

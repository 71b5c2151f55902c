import type { SearchParams } from "@/lib/queries/params";

/**
 * A link to `path` keeping the current parameters, with `changes` applied (null or "" removes
 * a parameter). Used for sortable column headers and pickers rendered on the server.
 */
export function hrefWith(path: string, current: SearchParams, changes: Record<string, string | string[] | null | undefined>): string {
  const q = new URLSearchParams();
  const merged: SearchParams = { ...current };
  for (const [k, v] of Object.entries(changes)) merged[k] = v === null ? undefined : v;
  for (const [k, v] of Object.entries(merged)) {
    if (v === undefined || v === "") continue;
    if (Array.isArray(v)) {
      if (v.length) q.set(k, v.join(","));
    } else q.set(k, v);
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

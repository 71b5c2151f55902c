import Link from "next/link";
import type { SearchParams } from "@/lib/queries/params";
import { hrefWith } from "@/lib/queries/url";

/** Which slice of a long list a page shows: `?<param>=N` (1-based), clamped to the list. */
export function pageOf(raw: string | string[] | undefined, total: number, size: number): { page: number; pages: number; offset: number } {
  const pages = Math.max(1, Math.ceil(total / size));
  const n = Number(Array.isArray(raw) ? raw[0] : raw);
  const page = Number.isInteger(n) && n >= 1 ? Math.min(n, pages) : 1;
  return { page, pages, offset: (page - 1) * size };
}

/** "1–25 of 637 · ← Previous · Next →": links keep the other URL parameters. */
export function Pager(props: { path: string; params: SearchParams; param: string; page: number; pages: number; size: number; total: number; label: string }) {
  if (props.total <= props.size) return null;
  const from = (props.page - 1) * props.size + 1;
  const to = Math.min(props.total, props.page * props.size);
  const link = (page: number, text: string) => (
    <Link href={hrefWith(props.path, props.params, { [props.param]: page === 1 ? null : String(page) })} scroll={false} className="rounded border border-slate-300 px-2 py-1 hover:bg-slate-50">
      {text}
    </Link>
  );
  return (
    <nav aria-label={`${props.label} pages`} className="mt-3 flex flex-wrap items-center gap-2 text-sm text-slate-600">
      <span className="whitespace-nowrap">
        {from}–{to} of {props.total}
      </span>
      {props.page > 1 && link(props.page - 1, "← Previous")}
      {props.page < props.pages && link(props.page + 1, "Next →")}
    </nav>
  );
}

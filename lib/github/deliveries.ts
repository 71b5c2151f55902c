import { db } from "@/lib/db/client";
import { config } from "@/lib/config";

// The delivery log on /admin/github: newest first, keyset-paged by receive time and id, with
// counts per status so a stuck queue or failing deliveries show at a glance.

export interface DeliveryRow {
  id: string;
  event: string;
  action: string | null;
  repo: string | null;
  status: string;
  summary: string | null;
  error: string | null;
  attempts: number;
  receivedAt: Date;
  processedAt: Date | null;
}

export interface DeliveryLog {
  rows: DeliveryRow[];
  /** Cursor for the next (older) page. */
  next: string | null;
  byStatus: Record<string, number>;
  configured: boolean;
}

export async function listDeliveries(opts: { status?: string; before?: string; limit?: number } = {}): Promise<DeliveryLog> {
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), 200);
  const status = opts.status && /^(pending|processed|ignored|failed)$/.test(opts.status) ? opts.status : null;
  const [beforeAt, beforeId] = (opts.before ?? "").split("|");
  const cursor = beforeAt && !Number.isNaN(Date.parse(beforeAt)) ? { at: new Date(beforeAt), id: beforeId ?? "" } : null;
  const prisma = await db();
  const rows = await prisma.$queryRaw<
    { id: string; event: string; action: string | null; repo: string | null; status: string; summary: string | null; error: string | null; attempts: number; received_at: Date; processed_at: Date | null }[]
  >`
    SELECT id, event, action, repo, status, summary, error, attempts, received_at, processed_at FROM github_deliveries
    WHERE (${status}::text IS NULL OR status = ${status})
      AND (${cursor?.at ?? null}::timestamptz IS NULL OR (received_at, id) < (${cursor?.at ?? null}::timestamptz, ${cursor?.id ?? ""}))
    ORDER BY received_at DESC, id DESC LIMIT ${limit + 1}`;
  const counts = await prisma.$queryRaw<{ status: string; n: number }[]>`SELECT status, count(*)::int AS n FROM github_deliveries GROUP BY status`;
  const page = rows.slice(0, limit).map((r) => ({
    id: r.id,
    event: r.event,
    action: r.action,
    repo: r.repo,
    status: r.status,
    summary: r.summary,
    error: r.error,
    attempts: r.attempts,
    receivedAt: r.received_at,
    processedAt: r.processed_at,
  }));
  const last = page[page.length - 1];
  return {
    rows: page,
    next: rows.length > limit && last ? `${last.receivedAt.toISOString()}|${last.id}` : null,
    byStatus: Object.fromEntries(counts.map((c) => [c.status, c.n])),
    configured: !!config().WAKEBOARD_GITHUB_WEBHOOK_SECRET,
  };
}

import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db/client";

// Who did what to keys, users, teams and the roster (DESIGN.md §3). Writes happen inside the
// transaction of the change they describe, so the log never claims a change that rolled back.

type Tx = Prisma.TransactionClient;

export async function audit(tx: Tx, actor: string, action: string, target: { type: string; id?: string | number | null }, details?: Prisma.InputJsonValue): Promise<void> {
  await tx.auditLog.create({ data: { actor, action, targetType: target.type, targetId: target.id == null ? null : String(target.id), details } });
}

export interface AuditEntry {
  id: string;
  at: Date;
  actor: string;
  action: string;
  targetType: string;
  targetId: string | null;
  details: unknown;
}

/** Newest first, keyset-paged by id; `q` matches the actor, the action, the target or anything in the details. */
export async function listAudit(opts: { limit?: number; before?: string; q?: string } = {}): Promise<{ entries: AuditEntry[]; next: string | null }> {
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), 200);
  const q = opts.q?.trim() ?? "";
  const like = `%${q.replace(/[\\%_]/g, (c) => "\\" + c)}%`;
  const before = opts.before && /^\d{1,19}$/.test(opts.before) ? opts.before : null;
  const rows = await (await db()).$queryRaw<{ id: string; at: Date; actor: string; action: string; target_type: string; target_id: string | null; details: unknown }[]>`
    SELECT id::text, at, actor, action, target_type, target_id, details FROM audit_log
    WHERE (${before}::bigint IS NULL OR id < ${before}::bigint)
      AND (${q} = '' OR actor ILIKE ${like} OR action ILIKE ${like} OR target_id = ${q} OR details::text ILIKE ${like})
    ORDER BY audit_log.id DESC LIMIT ${limit + 1}`;
  const entries = rows.slice(0, limit).map((r) => ({ id: r.id, at: r.at, actor: r.actor, action: r.action, targetType: r.target_type, targetId: r.target_id, details: r.details }));
  return { entries, next: rows.length > limit ? entries[entries.length - 1].id : null };
}

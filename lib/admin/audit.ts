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

/** Newest first, keyset-paged by id; `q` matches actor, action or target. */
export async function listAudit(opts: { limit?: number; before?: string; q?: string } = {}): Promise<{ entries: AuditEntry[]; next: string | null }> {
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), 200);
  const q = opts.q?.trim();
  const rows = await (await db()).auditLog.findMany({
    where: {
      ...(opts.before && /^\d+$/.test(opts.before) ? { id: { lt: BigInt(opts.before) } } : {}),
      ...(q ? { OR: [{ actor: { contains: q, mode: "insensitive" } }, { action: { contains: q, mode: "insensitive" } }, { targetId: q }] } : {}),
    },
    orderBy: { id: "desc" },
    take: limit + 1,
  });
  const entries = rows.slice(0, limit).map((r) => ({ ...r, id: String(r.id), details: r.details as unknown }));
  return { entries, next: rows.length > limit ? entries[entries.length - 1].id : null };
}

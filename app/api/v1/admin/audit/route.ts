// GET /api/v1/admin/audit – the audit log, newest first (?q= filter, ?before= the `next` cursor).
import { methodsNotAllowed, route } from "@/lib/http/route";
import { json } from "@/lib/http/respond";
import { listAudit } from "@/lib/admin/audit";

export const dynamic = "force-dynamic";

export const GET = route({ roles: ["admin"] }, async ({ req }) => {
  const p = req.nextUrl.searchParams;
  const { entries, next } = await listAudit({ q: p.get("q") ?? undefined, before: p.get("before") ?? undefined, limit: Number(p.get("limit")) || 50 });
  return json({ entries, next });
});

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET");

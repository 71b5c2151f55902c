// POST /api/v1/import – bulk JSONL or CSV of native events, streamed (admin session or ingest key); DESIGN.md §4.3.
import { methodsNotAllowed, route } from "@/lib/http/route";
import { json } from "@/lib/http/respond";
import { handleImport } from "@/lib/ingest/import-request";
import { enforceKeyRateLimit } from "@/lib/ingest/key-rate-limit";

export const dynamic = "force-dynamic";

export const POST = route({ scope: "ingest", roles: ["admin"] }, async ({ req, key }) => {
  if (key) enforceKeyRateLimit(key);
  const report = await handleImport({
    contentType: req.headers.get("content-type"),
    format: req.nextUrl.searchParams.get("format"),
    body: req.body,
    key: key ? { id: key.id, teamId: key.teamId } : null,
  });
  return json(report);
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed("POST");

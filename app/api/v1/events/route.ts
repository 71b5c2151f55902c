// POST /api/v1/events – native usage events (one, {"events": [...]} or NDJSON); DESIGN.md §4.1.
import { methodsNotAllowed, route } from "@/lib/http/route";
import { json } from "@/lib/http/respond";
import { handleEvents } from "@/lib/ingest/events-request";
import { enforceKeyRateLimit } from "@/lib/ingest/key-rate-limit";

export const dynamic = "force-dynamic";

export const POST = route({ scope: "ingest" }, async ({ req, key }) => {
  enforceKeyRateLimit(key!);
  const answer = await handleEvents({
    contentType: req.headers.get("content-type"),
    contentLength: req.headers.get("content-length"),
    body: req.body,
    key: { id: key!.id, teamId: key!.teamId },
  });
  return json(answer);
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed("POST");

// POST /api/v1/otlp/v1/logs – OTLP/HTTP logs (accepted always; counted only for tools in WAKEBOARD_OTLP_LOG_TOOLS); DESIGN.md §4.2.
import { methodsNotAllowed, route } from "@/lib/http/route";
import { enforceKeyRateLimit } from "@/lib/ingest/key-rate-limit";
import { handleOtlp } from "@/lib/otlp/handle-otlp";
import { readOtlpRequest, toResponse } from "@/lib/otlp/http";

export const dynamic = "force-dynamic";

export const POST = route({ scope: "ingest" }, async ({ req, key }) => {
  enforceKeyRateLimit(key!);
  const request = await readOtlpRequest(req.headers, req.body);
  return toResponse(await handleOtlp({ signal: "logs", ...request, key: { id: key!.id, teamId: key!.teamId } }));
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed("POST");

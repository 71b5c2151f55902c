// POST /api/v1/otlp/v1/traces – OTLP/HTTP traces: answered 200 and dropped (Gemini CLI always sends them); DESIGN.md §4.2.
import { methodsNotAllowed, route } from "@/lib/http/route";
import { handleOtlp } from "@/lib/otlp/handle-otlp";
import { readOtlpRequest, toResponse } from "@/lib/otlp/http";

export const dynamic = "force-dynamic";

// Public: nothing is stored, so there is nothing to authorise, and no key lookup per span batch.
export const POST = route({ public: true }, async ({ req }) => {
  return toResponse(await handleOtlp({ signal: "traces", ...(await readOtlpRequest(req.headers, req.body)) }));
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed("POST");

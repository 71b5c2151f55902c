// GET /api/v1/openapi.json – the OpenAPI 3.1 description of this API, generated from the zod schemas that validate requests.
import { route } from "@/lib/http/route";
import { json } from "@/lib/http/respond";
import { openApiDocument } from "@/lib/openapi/document";

export const dynamic = "force-dynamic";

// Public: it describes the API, it holds no data.
export const GET = route({ public: true }, async () => json(openApiDocument()));

// GET /api/metrics – Prometheus metrics of this instance (all its workers): an API key with the
// `metrics` scope, or an admin session. WAKEBOARD_METRICS_LISTEN also serves them without
// authentication on a separate address (docs/operations.md#metrics).
import { route } from "@/lib/http/route";
import { METRICS_CONTENT_TYPE, renderMetrics } from "@/lib/metrics/render";

export const dynamic = "force-dynamic";

export const GET = route({ scope: "metrics", roles: ["admin"] }, async () => {
  return new Response(await renderMetrics(), { headers: { "content-type": METRICS_CONTENT_TYPE, "cache-control": "no-store" } });
});

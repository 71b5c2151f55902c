// GET /api/health – 200 when the database answers, 503 otherwise (for load balancers).
import { methodsNotAllowed, route } from "@/lib/http/route";
import { json } from "@/lib/http/respond";
import { db } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/http/errors";
import { log } from "@/lib/log";

export const dynamic = "force-dynamic";

export const GET = route({ public: true }, async () => {
  const started = performance.now();
  try {
    await (await db()).$queryRaw`SELECT 1`;
    return json({ status: "ok", database: "up", ms: Math.round(performance.now() - started) });
  } catch (e) {
    log.warn({ err: (e as Error).message, unavailable: isDatabaseUnavailable(e) }, "health check failed");
    return json({ status: "unavailable", database: "down" }, 503, { "retry-after": "5" });
  }
});

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET");

import { toAttributes, str } from "@/lib/otlp/attributes";
import type { LogsRequest } from "@/lib/otlp/otlp-schema";
import { draftBase, eventId, type Draft } from "@/lib/otlp/drafts";
import { toolFor } from "@/lib/otlp/tools";
import type { Mapped, MapOptions } from "@/lib/otlp/map-metrics";

// OTLP logs → drafts, only for tools whose tokens are configured to come from logs
// (WAKEBOARD_OTLP_LOG_TOOLS). Each API request/response event is one event with the
// request's tokens and cost and no invocation. Everything else in a logs export is accepted
// and ignored, so by default a CLI's logs never count twice with its metrics.

function bodyText(body: unknown): string | undefined {
  const v = body && typeof body === "object" ? (body as { stringValue?: unknown }).stringValue : undefined;
  return typeof v === "string" ? v : undefined;
}

export function mapLogs(request: LogsRequest, opts: MapOptions): Mapped {
  const out: Mapped = { drafts: [], ignored: 0, rejected: 0, errors: [] };
  const seen = new Set<string>();
  for (const rl of request.resourceLogs) {
    const resource = toAttributes(rl.resource?.attributes);
    const spec = toolFor(str(resource, "service.name"));
    const records = rl.scopeLogs.flatMap((sl) => sl.logRecords);
    if (!spec.log || !opts.logTools.has(spec.tool)) {
      out.ignored += records.length;
      continue;
    }
    for (const r of records) {
      const attrs = toAttributes(r.attributes);
      const name = r.eventName || bodyText(r.body);
      if (!spec.log.matches(name, attrs)) {
        out.ignored++;
        continue;
      }
      // Codex sends timeUnixNano "0": the observed time is the only time it has.
      const time = [r.timeUnixNano, r.observedTimeUnixNano].map((t) => String(t ?? "0")).find((t) => t !== "0");
      if (!time) {
        out.rejected++;
        if (out.errors.length < 5) out.errors.push("log record without timeUnixNano or observedTimeUnixNano");
        continue;
      }
      const id = eventId("l", spec.tool, resource, attrs, time);
      if (seen.has(id)) continue;
      seen.add(id);
      const components = spec.log.components(attrs);
      const parts = Object.entries(components).map(([component, value]) => ({ component, value }));
      out.drafts.push({ id, spec, time, parts, ...draftBase(id, spec, time, resource, attrs, "logs") });
    }
  }
  return out;
}

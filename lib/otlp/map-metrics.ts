import { toAttributes, str, type Attributes } from "@/lib/otlp/attributes";
import { aggregate, histogramPoint, numberPoint, type MetricsRequest, type OtlpMetric } from "@/lib/otlp/otlp-schema";
import { draftBase, eventId, seriesKey, type Draft } from "@/lib/otlp/drafts";
import { toolFor, type ToolSpec } from "@/lib/otlp/tools";

// OTLP metrics → drafts (DESIGN.md §4.2). Only the metrics in a tool's table count; any
// other metric is ignored (and counted, for the log line). Sums use their value (asDouble or
// asInt), histograms their `sum`. Points sharing resource, attributes other than the kind,
// and time become one draft.

export interface Mapped {
  drafts: Draft[];
  /** Points of metrics (or log records) Wakeboard does not count. */
  ignored: number;
  /** Points that could not be read; reported back as rejected. */
  rejected: number;
  errors: string[];
}

const NO_RECORDED_VALUE = 1;

export interface MapOptions {
  /** Tools whose tokens and cost come from log events: their token and cost metrics are skipped. */
  logTools: ReadonlySet<string>;
}

function countPoints(m: OtlpMetric): number {
  for (const data of [m.sum, m.gauge, m.histogram, m.exponentialHistogram, m.summary]) {
    const points = (data as { dataPoints?: unknown } | undefined)?.dataPoints;
    if (Array.isArray(points)) return points.length;
  }
  return 0;
}

export function mapMetrics(request: MetricsRequest, opts: MapOptions): Mapped {
  const out: Mapped = { drafts: [], ignored: 0, rejected: 0, errors: [] };
  const drafts = new Map<string, Draft>();
  const reject = (n: number, message: string) => {
    out.rejected += n;
    if (out.errors.length < 5) out.errors.push(message);
  };

  for (const rm of request.resourceMetrics) {
    const resource = toAttributes(rm.resource?.attributes);
    const spec = toolFor(str(resource, "service.name"));
    const tokensFromLogs = opts.logTools.has(spec.tool);
    for (const sm of rm.scopeMetrics) {
      for (const metric of sm.metrics) {
        const rule = spec.metrics[metric.name];
        const isHistogram = metric.histogram !== undefined;
        if (!rule || (metric.sum === undefined && !isHistogram)) {
          out.ignored += countPoints(metric);
          continue;
        }
        const data = aggregate.safeParse(metric.sum ?? metric.histogram);
        if (!data.success) {
          reject(countPoints(metric) || 1, `metric ${metric.name}: unreadable ${isHistogram ? "histogram" : "sum"}`);
          continue;
        }
        const temporality = data.data.aggregationTemporality;
        if (!temporality) {
          reject(data.data.dataPoints.length, `metric ${metric.name}: aggregationTemporality must be DELTA or CUMULATIVE`);
          continue;
        }
        for (const raw of data.data.dataPoints) {
          const parsed = (isHistogram ? histogramPoint : numberPoint).safeParse(raw);
          if (!parsed.success) {
            reject(1, `metric ${metric.name}: unreadable data point (${parsed.error.issues[0]?.path.join(".")} ${parsed.error.issues[0]?.message})`);
            continue;
          }
          const p = parsed.data as { attributes: Parameters<typeof toAttributes>[0]; startTimeUnixNano?: string | number; timeUnixNano: string | number; flags?: number; sum?: unknown; asDouble?: unknown; asInt?: unknown };
          if ((p.flags ?? 0) & NO_RECORDED_VALUE) continue;
          const value = Number(isHistogram ? p.sum : (p.asDouble ?? p.asInt));
          if (isHistogram && p.sum === undefined) continue;
          if (!Number.isFinite(value) || value < 0) {
            reject(1, `metric ${metric.name}: value must be a finite number ≥ 0`);
            continue;
          }
          const attrs = toAttributes(p.attributes);
          const component = rule({ ...resource, ...attrs });
          if (!component || (tokensFromLogs && (component.startsWith("t.") || component === "cost"))) {
            out.ignored++;
            continue;
          }
          const time = String(p.timeUnixNano);
          const part = {
            component,
            value,
            cumulative:
              temporality === "cumulative"
                ? { key: seriesKey(spec.tool, metric.name, resource, attrs), start: String(p.startTimeUnixNano ?? "0"), time }
                : undefined,
          };
          addPart(drafts, spec, resource, attrs, time, part);
        }
      }
    }
  }
  out.drafts = [...drafts.values()];
  return out;
}

function addPart(drafts: Map<string, Draft>, spec: ToolSpec, resource: Attributes, attrs: Attributes, time: string, part: Draft["parts"][number]) {
  const group = Object.fromEntries(Object.entries(attrs).filter(([k]) => !spec.kindKeys.includes(k)));
  const id = eventId("m", spec.tool, resource, group, time);
  let draft = drafts.get(id);
  if (!draft) {
    draft = { id, spec, time, parts: [], ...draftBase(id, spec, time, resource, group, "metrics") };
    drafts.set(id, draft);
  }
  draft.parts.push(part);
}

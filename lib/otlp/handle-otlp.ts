import { ingest, type IngestResult } from "@/lib/ingest/ingest";
import type { KeyScope } from "@/lib/ingest/resolve";
import { log } from "@/lib/log";
import { decodeRequest, decompress, encodingOf, OtlpError, type Encoding } from "@/lib/otlp/decode";
import { isEmpty, nativeEvent, sumParts, type Draft } from "@/lib/otlp/drafts";
import { mapLogs } from "@/lib/otlp/map-logs";
import { mapMetrics, type Mapped } from "@/lib/otlp/map-metrics";
import { logTools } from "@/lib/otlp/options";
import type { Signal } from "@/lib/otlp/otlp-schema";
import { encodeProtobufResponse } from "@/lib/otlp/protobuf";
import { cumulativePrepare } from "@/lib/otlp/temporality";

// OTLP/HTTP export (DESIGN.md §4.2) as a pure function of the request's parts, so the route
// stays thin and every rule is tested against the database without HTTP. Answers as OTLP
// says: 200 with {} or partialSuccess (in the request's encoding); 400 for a body that
// cannot be decoded (not retryable); 413/415 for size and type. Database outages are
// thrown and answered 503 + Retry-After by the route wrapper.

export interface OtlpRequest {
  signal: Signal;
  contentType: string | null | undefined;
  contentEncoding?: string | null;
  body: Uint8Array;
  key?: KeyScope | null;
  now?: Date;
  /** Tools whose tokens come from log events instead of metrics; default WAKEBOARD_OTLP_LOG_TOOLS. */
  logTools?: readonly string[];
}

export interface OtlpResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array | string;
  /** What happened, for logs and tests. */
  summary?: { accepted: number; duplicates: number; rejected: number; ignored: number };
}

const JSON_TYPE = "application/json; charset=utf-8";

function errorResponse(e: OtlpError | { status: number; code: string; message: string }): OtlpResponse {
  return { status: e.status, headers: { "content-type": JSON_TYPE }, body: JSON.stringify({ error: { code: e.code, message: e.message } }) };
}

function success(signal: Signal, encoding: Encoding, rejected: number, message: string): OtlpResponse {
  const field = signal === "logs" ? "rejectedLogRecords" : "rejectedDataPoints";
  // int64 is a decimal string in OTLP/JSON; protobufjs encodes it from a number.
  const partial = (count: number | string) => (rejected > 0 ? { partialSuccess: { [field]: count, errorMessage: message } } : {});
  if (encoding === "protobuf") {
    const body = signal === "traces" ? new Uint8Array() : encodeProtobufResponse(signal, partial(rejected));
    return { status: 200, headers: { "content-type": "application/x-protobuf" }, body };
  }
  return { status: 200, headers: { "content-type": JSON_TYPE }, body: JSON.stringify(partial(String(rejected))) };
}

export async function handleOtlp(req: OtlpRequest): Promise<OtlpResponse> {
  let encoding: Encoding;
  let mapped: Mapped;
  try {
    encoding = encodingOf(req.contentType);
    const body = decompress(req.body, req.contentEncoding);
    // Traces are accepted and dropped: Gemini CLI always sends them, Wakeboard counts none.
    if (req.signal === "traces") return success("traces", encoding, 0, "");
    const tools = new Set(req.logTools ?? logTools());
    mapped =
      req.signal === "metrics"
        ? mapMetrics(decodeRequest("metrics", encoding, body), { logTools: tools })
        : mapLogs(decodeRequest("logs", encoding, body), { logTools: tools });
  } catch (e) {
    if (e instanceof OtlpError) return errorResponse(e);
    throw e;
  }

  const result = await ingestDrafts(mapped.drafts, req);
  const rejected = mapped.rejected + result.rejected.length;
  const messages = [...mapped.errors, ...result.rejected.slice(0, 5).map((r) => `${r.id ?? `#${r.index}`}: ${r.errors.map((x) => `${x.path} ${x.message}`).join("; ")}`)];
  const summary = { accepted: result.accepted, duplicates: result.duplicates, rejected, ignored: mapped.ignored };
  log.info({ signal: req.signal, ...summary }, "otlp export");
  if (result.forbidden > 0 && result.forbidden === result.rejected.length && result.accepted + result.duplicates === 0 && mapped.rejected === 0) {
    return { ...errorResponse({ status: 403, code: "forbidden", message: "Every event resolves to a team outside the teams this API key may report for" }), summary };
  }
  return { ...success(req.signal, encoding, rejected, messages.join(" | ").slice(0, 1000)), summary };
}

/** Drafts → native events → the one ingest path, with cumulative series resolved in its transaction. */
async function ingestDrafts(drafts: Draft[], req: OtlpRequest): Promise<IngestResult> {
  // A delta draft whose values are all zero (an idle export) would only add an empty event.
  const kept = drafts.filter((d) => d.parts.some((p) => p.cumulative) || !isEmpty(sumParts(d.parts)));
  if (kept.length === 0) return { accepted: 0, duplicates: 0, rejected: [], forbidden: 0 };
  const hasCumulative = kept.some((d) => d.parts.some((p) => p.cumulative));
  return ingest(
    kept.map((d) => nativeEvent(d, sumParts(d.parts))),
    {
      source: "otlp",
      key: req.key ?? null,
      now: req.now,
      identities: kept.map((d) => d.identities),
      prepare: hasCumulative ? cumulativePrepare(new Map(kept.map((d) => [d.id, d]))) : undefined,
    },
  );
}

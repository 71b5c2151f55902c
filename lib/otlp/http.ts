import { ApiError } from "@/lib/http/errors";
import { readLimited } from "@/lib/ingest/body";
import { MAX_BODY_BYTES } from "@/lib/otlp/decode";
import type { OtlpRequest, OtlpResponse } from "@/lib/otlp/handle-otlp";

// The two ends of an OTLP route: the request's body and headers in (read up to 8 MiB, so
// an oversized upload is refused while streaming), handleOtlp's answer out.

export async function readOtlpRequest(
  headers: Headers,
  body: ReadableStream<Uint8Array> | null,
): Promise<Pick<OtlpRequest, "contentType" | "contentEncoding" | "body">> {
  try {
    return {
      contentType: headers.get("content-type"),
      contentEncoding: headers.get("content-encoding"),
      body: await readLimited(body, headers.get("content-length"), MAX_BODY_BYTES),
    };
  } catch (e) {
    if (e instanceof ApiError && e.status === 413) {
      throw new ApiError(413, "payload_too_large", `Body exceeds ${MAX_BODY_BYTES / 1024 / 1024} MiB; lower the exporter's batch size or export interval`);
    }
    throw e;
  }
}

export function toResponse(r: OtlpResponse): Response {
  return new Response(r.body as BodyInit, { status: r.status, headers: { "cache-control": "no-store", ...r.headers } });
}

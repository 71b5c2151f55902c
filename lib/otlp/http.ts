import { ApiError } from "@/lib/http/errors";
import { readLimited, type BodySource } from "@/lib/ingest/body";
import { MAX_BODY_BYTES } from "@/lib/otlp/decode";
import type { OtlpRequest } from "@/lib/otlp/handle-otlp";

// The request end of an OTLP endpoint: the body and headers in, read up to 8 MiB, so an
// oversized upload is refused while streaming.

export async function readOtlpRequest(
  headers: { get(name: string): string | null },
  body: BodySource | null,
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

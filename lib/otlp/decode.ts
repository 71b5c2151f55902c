import zlib from "node:zlib";
import { jsonShapeProblem, OTLP_LIMITS } from "@/lib/http/input-bounds";
import { z } from "zod";
import { logsRequest, metricsRequest, type LogsRequest, type MetricsRequest } from "@/lib/otlp/otlp-schema";
import { decodeProtobufRequest, protobufShapeProblem, type ProtoSignal } from "@/lib/otlp/protobuf";

// Body → export request: content type, content encoding (gzip capped at MAX_BODY_BYTES
// of output, so a small bomb cannot blow up memory), then JSON or protobuf into one shape.

export const MAX_BODY_BYTES = 8 * 1024 * 1024;

export type Encoding = "json" | "protobuf";

export class OtlpError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The OTLP encodings: application/json and application/x-protobuf (parameters ignored). */
export function encodingOf(contentType: string | null | undefined): Encoding {
  const media = (contentType ?? "").split(";")[0].trim().toLowerCase();
  if (media === "application/json") return "json";
  if (media === "application/x-protobuf" || media === "application/protobuf") return "protobuf";
  throw new OtlpError(415, "unsupported_media_type", `Content-Type must be application/json or application/x-protobuf (got ${JSON.stringify(media || "none")}); gRPC is not served, use http/json or http/protobuf`);
}

const tooLarge = () => new OtlpError(413, "payload_too_large", `Body exceeds ${MAX_BODY_BYTES / 1024 / 1024} MiB (after decompression)`);

export function decompress(body: Uint8Array, contentEncoding: string | null | undefined): Uint8Array {
  if (body.byteLength > MAX_BODY_BYTES) throw tooLarge();
  const enc = (contentEncoding ?? "").trim().toLowerCase();
  if (enc === "" || enc === "identity") return body;
  const inflate = enc === "gzip" || enc === "x-gzip" ? zlib.gunzipSync : enc === "deflate" ? zlib.inflateSync : undefined;
  if (!inflate) throw new OtlpError(415, "unsupported_encoding", `Content-Encoding must be gzip, deflate or identity (got ${JSON.stringify(enc)})`);
  try {
    return inflate(body, { maxOutputLength: MAX_BODY_BYTES });
  } catch (e) {
    if ((e as { code?: string }).code === "ERR_BUFFER_TOO_LARGE" || e instanceof RangeError) throw tooLarge();
    throw new OtlpError(400, "bad_request", `Body is not valid ${enc} data`);
  }
}

function shapeError(error: z.ZodError): OtlpError {
  const issue = error.issues[0];
  return new OtlpError(400, "bad_request", `Not an OTLP export request: ${issue.path.join(".") || "body"} ${issue.message}`);
}

export function decodeRequest<S extends ProtoSignal>(signal: S, encoding: Encoding, body: Uint8Array): S extends "metrics" ? MetricsRequest : LogsRequest {
  let raw: unknown;
  if (encoding === "json") {
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(body);
    } catch (e) {
      throw new OtlpError(400, "bad_request", `Body is not valid UTF-8: ${(e as Error).message}`);
    }
    const shape = jsonShapeProblem(text, OTLP_LIMITS);
    if (shape) throw new OtlpError(400, "bad_request", `Body ${shape}`);
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new OtlpError(400, "bad_request", `Body is not valid JSON: ${(e as Error).message}`);
    }
  } else {
    const shape = protobufShapeProblem(signal, body, OTLP_LIMITS);
    if (shape) throw new OtlpError(400, "bad_request", `Body ${shape}`);
    try {
      raw = decodeProtobufRequest(signal, body);
    } catch (e) {
      throw new OtlpError(400, "bad_request", `Body is not a valid OTLP protobuf ${signal} export request: ${(e as Error).message}`);
    }
  }
  const parsed = (signal === "metrics" ? metricsRequest : logsRequest).safeParse(raw);
  if (!parsed.success) throw shapeError(parsed.error);
  return parsed.data as S extends "metrics" ? MetricsRequest : LogsRequest;
}

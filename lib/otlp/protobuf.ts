import fs from "node:fs";
import path from "node:path";
import protobuf from "protobufjs";
import type { ShapeLimits } from "@/lib/http/input-bounds";
import type { Signal } from "@/lib/otlp/otlp-schema";

// OTLP protobuf bodies are decoded with protobufjs from the .proto files kept in
// lib/otlp/proto (field numbers as in opentelemetry-proto). Decoded messages are turned into
// the same plain shape as OTLP/JSON (lowerCamelCase keys, 64-bit integers as decimal
// strings), so one schema and one mapper serve both encodings.

// Dependencies first. The files are read here and parsed into one root, rather than with
// protobufjs's loadSync, whose file access does not survive bundling.
const FILES = ["common.proto", "resource.proto", "metrics.proto", "logs.proto", "metrics_service.proto", "logs_service.proto"];

// Read from the app root (the server and the tests run there): a path relative to this
// module does not survive bundling.
function protoDir(): string {
  const dir = path.join(process.cwd(), "lib", "otlp", "proto");
  if (!fs.existsSync(path.join(dir, FILES[0]))) throw new Error(`OTLP .proto files not found in ${dir}: start Wakeboard from its folder`);
  return dir;
}

let root: protobuf.Root | undefined;

function loadRoot(): protobuf.Root {
  if (root) return root;
  const dir = protoDir();
  const r = new protobuf.Root();
  for (const file of FILES) protobuf.parse(fs.readFileSync(path.join(dir, file), "utf8"), r, { keepCase: false });
  r.resolveAll();
  return (root = r);
}

const TYPES = {
  metrics: {
    request: "opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest",
    response: "opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse",
  },
  logs: {
    request: "opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest",
    response: "opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse",
  },
} as const;

export type ProtoSignal = Exclude<Signal, "traces">;

/**
 * Why an encoded request exceeds the limits (nesting of messages, messages and packed
 * numbers in all), found by walking the wire format with the schema before decoding, or
 * undefined. Bytes that are not a valid message are left to the decoder.
 */
export function protobufShapeProblem(signal: ProtoSignal, body: Uint8Array, limits: ShapeLimits): string | undefined {
  const reader = protobuf.Reader.create(body);
  let containers = 0;
  const walk = (type: protobuf.Type, end: number, depth: number): string | undefined => {
    if (depth > limits.maxDepth) return `nests deeper than ${limits.maxDepth} levels`;
    while (reader.pos < end) {
      const tag = reader.uint32();
      const wire = tag & 7;
      if (wire !== 2) {
        reader.skipType(wire);
        continue;
      }
      const length = reader.uint32();
      const stop = reader.pos + length;
      if (stop > end) return undefined;
      const field = type.fieldsById[tag >>> 3];
      const child = field?.resolvedType;
      if (child instanceof protobuf.Type) {
        if (++containers > limits.maxContainers) return `has more than ${limits.maxContainers} messages`;
        const problem = walk(child, stop, depth + 1);
        if (problem) return problem;
      } else if (field?.repeated && !(child instanceof protobuf.Enum) && field.type !== "string" && field.type !== "bytes") {
        // Packed numbers: each becomes a value of its own once decoded.
        containers += Math.ceil(length / 8);
        if (containers > limits.maxContainers) return `has more than ${limits.maxContainers} messages`;
      }
      reader.pos = stop;
    }
    return undefined;
  };
  try {
    return walk(loadRoot().lookupType(TYPES[signal].request), body.length, 1);
  } catch {
    return undefined;
  }
}

/** Decodes an export request; throws on bytes that are not a valid message of that type. */
export function decodeProtobufRequest(signal: ProtoSignal, body: Uint8Array): unknown {
  const type = loadRoot().lookupType(TYPES[signal].request);
  const message = type.decode(body);
  return type.toObject(message, { longs: String, enums: Number, bytes: String, defaults: false, arrays: true, oneofs: false });
}

/** Encodes an export request from its JSON-shaped object (used by tests and tools). */
export function encodeProtobufRequest(signal: ProtoSignal, request: unknown): Uint8Array {
  const type = loadRoot().lookupType(TYPES[signal].request);
  return type.encode(type.fromObject(request as Record<string, unknown>)).finish();
}

export function encodeProtobufResponse(signal: ProtoSignal, response: Record<string, unknown>): Uint8Array {
  const type = loadRoot().lookupType(TYPES[signal].response);
  return type.encode(type.fromObject(response)).finish();
}

export function decodeProtobufResponse(signal: ProtoSignal, body: Uint8Array): unknown {
  const type = loadRoot().lookupType(TYPES[signal].response);
  return type.toObject(type.decode(body), { longs: String, enums: Number, defaults: false });
}

import { z } from "zod";

// The OTLP/JSON shape (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding):
// lowerCamelCase keys, 64-bit integers as decimal strings (numbers accepted too), enums as
// integers (names accepted too). Protobuf bodies are decoded into the same shape. The
// envelope is checked strictly enough to answer 400 for a body that is not an export
// request; data points are checked one by one where they are used, so one unreadable
// point is a rejected point, not a rejected request.

export type Signal = "metrics" | "logs" | "traces";

const obj = <T extends z.ZodRawShape>(shape: T) => z.looseObject(shape);
const list = <T extends z.ZodType>(item: T) => z.array(item).nullish().transform((v) => v ?? []);

export const uint64 = z.union([z.string().regex(/^\d{1,20}$/, "must be a decimal integer"), z.number().int().nonnegative()]);
export const int64 = z.union([z.string().regex(/^-?\d{1,19}$/, "must be a decimal integer"), z.number().int()]);
export const double = z.union([z.number(), z.enum(["NaN", "Infinity", "-Infinity"])]);

/** AnyValue is read leniently (see attributes.ts): a value of an unexpected type is skipped. */
export const keyValue = obj({ key: z.string(), value: z.unknown().optional() });
export type KeyValue = z.infer<typeof keyValue>;
const attributes = list(keyValue);

const resource = obj({ attributes }).nullish();

const metric = obj({
  name: z.string(),
  sum: z.unknown().optional(),
  gauge: z.unknown().optional(),
  histogram: z.unknown().optional(),
  exponentialHistogram: z.unknown().optional(),
  summary: z.unknown().optional(),
});
export type OtlpMetric = z.infer<typeof metric>;

export const metricsRequest = obj({
  resourceMetrics: list(obj({ resource, scopeMetrics: list(obj({ metrics: list(metric) })) })),
});
export type MetricsRequest = z.infer<typeof metricsRequest>;

const logRecord = obj({
  timeUnixNano: uint64.optional(),
  observedTimeUnixNano: uint64.optional(),
  eventName: z.string().optional(),
  body: z.unknown().optional(),
  attributes,
});
export type LogRecord = z.infer<typeof logRecord>;

export const logsRequest = obj({
  resourceLogs: list(obj({ resource, scopeLogs: list(obj({ logRecords: list(logRecord) })) })),
});
export type LogsRequest = z.infer<typeof logsRequest>;

export const temporality = z
  .union([z.number().int(), z.enum(["AGGREGATION_TEMPORALITY_UNSPECIFIED", "AGGREGATION_TEMPORALITY_DELTA", "AGGREGATION_TEMPORALITY_CUMULATIVE"])])
  .optional()
  .transform((t) => (t === 1 || t === "AGGREGATION_TEMPORALITY_DELTA" ? "delta" : t === 2 || t === "AGGREGATION_TEMPORALITY_CUMULATIVE" ? "cumulative" : undefined));

export const numberPoint = obj({
  attributes,
  startTimeUnixNano: uint64.optional(),
  timeUnixNano: uint64,
  asDouble: double.optional(),
  asInt: int64.optional(),
  flags: z.number().int().optional(),
});

export const histogramPoint = obj({
  attributes,
  startTimeUnixNano: uint64.optional(),
  timeUnixNano: uint64,
  sum: double.optional(),
  flags: z.number().int().optional(),
});

/** Sum and Histogram data (the only kinds Wakeboard counts), points still unchecked. */
export const aggregate = obj({
  dataPoints: list(z.unknown()),
  aggregationTemporality: temporality,
  isMonotonic: z.boolean().optional(),
});

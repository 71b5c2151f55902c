import { z } from "zod";
import { eventSchema } from "@/lib/ingest/event-schema";
import { METRICS } from "@/lib/queries/metrics";

// Response shapes of the API as zod schemas, for the OpenAPI description (lib/openapi/
// document.ts) and for tests that check answers against it. Request shapes are not here:
// the document uses the schemas that validate requests (eventSchema, dashboardParams,
// exportParamsSchema) directly.

export const errorEnvelope = z
  .object({
    error: z.object({
      code: z.string().meta({ description: "Stable machine-readable code, e.g. invalid_events, rate_limited, database_unavailable" }),
      message: z.string().meta({ description: "What went wrong and what to do, for a person" }),
      details: z.unknown().optional().meta({ description: "Per-field or per-event errors when there are any" }),
    }),
  })
  .meta({ id: "Error", description: "The one error envelope of every endpoint" });

const fieldError = z.object({ path: z.string(), message: z.string() }).meta({ id: "FieldError" });

export const rejection = z
  .object({ index: z.int().min(0), id: z.string().optional(), errors: z.array(fieldError) })
  .meta({ id: "Rejection", description: "An event that was not stored, by its position in the request" });

export const ingestAnswer = z
  .object({
    accepted: z.int().min(0).meta({ description: "Events stored by this request" }),
    duplicates: z.int().min(0).meta({ description: "Replays of ids already stored with the same content (changed nothing)" }),
    rejected: z.array(rejection),
  })
  .meta({ id: "IngestAnswer" });

export const eventsBody = z
  .union([eventSchema, z.object({ events: z.array(eventSchema).min(1).max(1000) }).strict()])
  .meta({ id: "EventsBody", description: "One event, or {\"events\": [...]} with up to 1,000 events" });

export const importReport = z
  .object({
    lines: z.int().min(0),
    events: z.int().min(0),
    accepted: z.int().min(0),
    duplicates: z.int().min(0),
    rejected: z.int().min(0),
    rejectedLines: z.array(z.object({ line: z.int().min(1), id: z.string().optional(), errors: z.array(fieldError) })).meta({ description: "The first 1,000 rejected lines, in file order" }),
  })
  .meta({ id: "ImportReport" });

export const otlpAnswer = z
  .object({
    partialSuccess: z
      .object({ rejectedDataPoints: z.union([z.int(), z.string()]).optional(), rejectedLogRecords: z.union([z.int(), z.string()]).optional(), errorMessage: z.string().optional() })
      .optional(),
  })
  .meta({ id: "OtlpExportResponse", description: "OTLP/HTTP export answer: {} or a partialSuccess (in the request's encoding: JSON or protobuf)" });

const figures = {
  events: z.number(),
  invocations: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  cacheReadTokens: z.number(),
  cacheWriteTokens: z.number(),
  tokens: z.number().meta({ description: "input + output + cache read + cache write" }),
  costUsd: z.number(),
  linesAdded: z.number(),
  linesRemoved: z.number(),
  commits: z.number(),
  pullRequests: z.number(),
  activeUsers: z.int().min(0),
  headcount: z.int().min(0),
  adoptionPct: z.number().nullable(),
  tokensPerEngineer: z.number().nullable(),
  invocationsPerEngineer: z.number().nullable(),
  // GitHub outcomes (docs/github.md): under a tool filter the AI-assisted counts are that tool's.
  mergedPrs: z.int().min(0).optional().meta({ description: "Pull requests merged in the period (GitHub webhooks)" }),
  aiMergedPrs: z.int().min(0).optional().meta({ description: "Merged pull requests with an AI signal" }),
  landedCommits: z.int().min(0).optional().meta({ description: "Commits that landed on default branches" }),
  aiCommits: z.int().min(0).optional().meta({ description: "Landed commits with an AI signal (co-author trailer, agent author …)" }),
};

export const unitFigures = z.looseObject(figures).meta({ id: "Figures", description: "A unit's sums and derived figures for a period (DESIGN.md §5)" });

const periodOut = z.object({ param: z.string(), label: z.string(), from: z.iso.date(), to: z.iso.date() });

export const leaderboardAnswer = z
  .looseObject({
    period: periodOut,
    previous: z.object({ from: z.iso.date(), to: z.iso.date() }),
    metric: z.enum(METRICS),
    view: z.enum(["teams", "units"]),
    unit: z.object({ slug: z.string(), name: z.string() }).nullable(),
    filters: z.object({ tool: z.array(z.string()), model: z.array(z.string()) }),
    sparkline: z.object({ grain: z.enum(["day", "week"]), buckets: z.array(z.string()) }),
    rows: z.array(
      z.looseObject({
        ...figures,
        teamId: z.int(),
        slug: z.string(),
        name: z.string(),
        path: z.string(),
        isGroup: z.boolean(),
        value: z.number().nullable(),
        previousValue: z.number().nullable(),
        growthPct: z.number().nullable(),
        rank: z.int().nullable(),
        previousRank: z.int().nullable(),
        rankChange: z.int().nullable(),
        previous: unitFigures,
        sparkline: z.array(z.number()),
      }),
    ),
  })
  .meta({ id: "Leaderboard" });

export const trendAnswer = z
  .looseObject({
    team: z.object({ id: z.int(), slug: z.string(), name: z.string(), path: z.string() }),
    period: periodOut,
    grain: z.enum(["day", "week"]),
    filters: z.object({ tool: z.array(z.string()), model: z.array(z.string()) }),
    points: z.array(z.looseObject({ ...figures, key: z.iso.date(), from: z.iso.date(), to: z.iso.date(), label: z.string() })),
  })
  .meta({ id: "TeamTrend" });

export const healthAnswer = z
  .object({ status: z.enum(["ok", "unavailable"]), database: z.enum(["up", "down"]), ms: z.number().optional() })
  .meta({ id: "Health" });

export const auditAnswer = z
  .object({
    entries: z.array(z.object({ id: z.string(), at: z.iso.datetime(), actor: z.string(), action: z.string(), targetType: z.string(), targetId: z.string().nullable(), details: z.unknown() })),
    next: z.string().nullable().meta({ description: "Pass as ?before= for the next page; null on the last page" }),
  })
  .meta({ id: "AuditPage" });

export const githubReceived = z
  .object({ delivery: z.string().meta({ description: "X-GitHub-Delivery" }), status: z.enum(["queued", "duplicate"]) })
  .meta({ id: "GithubDeliveryReceived", description: "Recorded (queued for the worker), or a redelivery of one already recorded" });

export const rosterAnswer = z
  .looseObject({
    dryRun: z.boolean(),
    rows: z.array(z.looseObject({ line: z.int(), email: z.string() })),
    fileErrors: z.array(z.string()),
    counts: z.object({ create: z.int(), update: z.int(), move: z.int(), unchanged: z.int(), invalid: z.int() }),
    effective: z.string().optional(),
  })
  .meta({ id: "RosterResult" });

import type { HttpOptions } from "@/lib/connectors/http";

// What every vendor client gives the connector framework: for one UTC day, one record per
// person (a user's day as the vendor reports it), each made of native events. The framework
// names the events, stores them through ingest() and, when a re-pull of that day differs,
// replaces the record (lib/connectors/store-day.ts).

export type VendorSlug = "copilot" | "claude-code" | "cursor";

/** A native event (DESIGN.md §4.1) without the fields the framework sets: id, timestamp, tool. */
export interface EventDraft {
  /** Distinguishes the events of one record (a feature, a model): part of the event id. */
  part: string;
  model?: string;
  invocations: number;
  input_tokens?: number;
  output_tokens?: number;
  cache_read_tokens?: number;
  cache_write_tokens?: number;
  cost_usd?: number;
  lines_added?: number;
  lines_removed?: number;
  commits?: number;
  pull_requests?: number;
  suggestions_shown?: number;
  suggestions_accepted?: number;
  tool_accepted?: number;
  tool_rejected?: number;
  attributes?: Record<string, string | number | boolean | null>;
}

export interface VendorRecord {
  /** The vendor's stable key for the person (user id, email, API key name). */
  userKey: string;
  /** An email when the vendor reports one (then it is the event's `user`). */
  email?: string;
  /** Other ids of the person (GitHub login, Anthropic API key name) for identity mapping. */
  identities: { kind: string; value: string }[];
  events: EventDraft[];
}

export interface PullContext {
  baseUrl: string;
  scope: string;
  secret: string;
  http: HttpOptions;
}

export interface Vendor {
  slug: VendorSlug;
  name: string;
  /** The Wakeboard tool slug its events carry. */
  tool: string;
  defaultBaseUrl: string;
  /** What `scope` means for this vendor, or null when it takes none. */
  scope: { label: string; example: string; pattern: RegExp } | null;
  /** Days after which the vendor no longer revises a day (re-pulled until then). */
  finalAfterDays: number;
  /** How far back the vendor keeps data. */
  maxHistoryDays: number;
  credentialLabel: string;
  /** All records of one complete UTC day (YYYY-MM-DD), every page read. */
  pullDay(ctx: PullContext, day: string): Promise<VendorRecord[]>;
}

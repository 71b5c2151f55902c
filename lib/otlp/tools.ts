import { num, str, type Attributes } from "@/lib/otlp/attributes";

// DESIGN.md §4.2, one table per tool: which metrics count (and as what), which log event
// carries per-request tokens, and how the tool's token kinds become Wakeboard's four
// (input excludes cached input; output includes reasoning; the four add up to the
// provider's own total). A "component" is one raw quantity as the tool reports it; an event
// sums its components and normalises them once, so several points become one event.

export type Components = Record<string, number>;

export interface Counts {
  invocations: number;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  cost_usd?: number;
  lines_added?: number;
  lines_removed?: number;
  commits?: number;
  pull_requests?: number;
}

export interface ToolSpec {
  /** The Wakeboard tool slug. */
  tool: string;
  /** Metric name → the component a point adds to (from its type attribute), or undefined to skip it. */
  metrics: Record<string, (attrs: Attributes) => string | undefined>;
  /** Attributes that tell a point's kind apart; all other attributes (and the time) group points into one event. */
  kindKeys: string[];
  model(attrs: Attributes): string | undefined;
  tokens(c: Components): Pick<Counts, "input_tokens" | "output_tokens" | "cache_read_tokens" | "cache_write_tokens">;
  /** The log event that carries one model request's tokens, read only when logs are chosen for the tool. */
  log?: { matches(eventName: string | undefined, attrs: Attributes): boolean; components(attrs: Attributes): Components };
}

const v = (c: Components, k: string) => c[k] ?? 0;
const pos = (n: number) => Math.max(0, Math.round(n));
const fixed = (component: string) => () => component;
const byType = (prefix: string, key: string, kinds: string[]) => (a: Attributes) => {
  const t = str(a, key);
  return t && kinds.includes(t) ? `${prefix}${t}` : undefined;
};
const lines = (a: Attributes) => (a.type === "added" ? "lines_added" : a.type === "removed" ? "lines_removed" : undefined);

/** Reads log attributes (often numeric strings) into components, skipping absent ones. */
function pick(attrs: Attributes, map: Record<string, string>): Components {
  const out: Components = {};
  for (const [attr, component] of Object.entries(map)) {
    const n = num(attrs, attr);
    if (n !== undefined) out[component] = n;
  }
  return out;
}

const claudeCode: ToolSpec = {
  tool: "claude-code",
  metrics: {
    "claude_code.session.count": fixed("invocations"),
    "claude_code.token.usage": byType("t.", "type", ["input", "output", "cacheRead", "cacheCreation"]),
    "claude_code.cost.usage": fixed("cost"),
    "claude_code.lines_of_code.count": lines,
    "claude_code.commit.count": fixed("commits"),
    "claude_code.pull_request.count": fixed("pull_requests"),
  },
  kindKeys: ["type"],
  model: (a) => str(a, "model"),
  tokens: (c) => ({
    input_tokens: pos(v(c, "t.input")),
    output_tokens: pos(v(c, "t.output")),
    cache_read_tokens: pos(v(c, "t.cacheRead")),
    cache_write_tokens: pos(v(c, "t.cacheCreation")),
  }),
  log: {
    matches: (name, a) => name === "claude_code.api_request" || a["event.name"] === "api_request",
    components: (a) =>
      pick(a, { input_tokens: "t.input", output_tokens: "t.output", cache_read_tokens: "t.cacheRead", cache_creation_tokens: "t.cacheCreation", cost_usd: "cost" }),
  },
};

// Gemini's `input` includes the cached tokens; `thought` and `tool` are counted apart from
// input and output by the API, so they are folded back in.
const geminiCli: ToolSpec = {
  tool: "gemini-cli",
  metrics: {
    "gemini_cli.session.count": fixed("invocations"),
    "gemini_cli.token.usage": byType("t.", "type", ["input", "output", "cache", "thought", "tool"]),
    "gemini_cli.lines.changed": lines,
  },
  kindKeys: ["type"],
  model: (a) => str(a, "model"),
  tokens: (c) => ({
    input_tokens: pos(v(c, "t.input") - v(c, "t.cache") + v(c, "t.tool")),
    output_tokens: pos(v(c, "t.output") + v(c, "t.thought")),
    cache_read_tokens: pos(v(c, "t.cache")),
    cache_write_tokens: 0,
  }),
  log: {
    matches: (name, a) => name === "gemini_cli.api_response" || a["event.name"] === "gemini_cli.api_response",
    components: (a) =>
      pick(a, {
        input_token_count: "t.input",
        output_token_count: "t.output",
        cached_content_token_count: "t.cache",
        thoughts_token_count: "t.thought",
        tool_token_count: "t.tool",
      }),
  },
};

// Codex reports token usage as a histogram per turn (its sum is the count); `input`
// includes `cached_input`, `output` already includes `reasoning_output`, `total` is only a
// cross-check and is not added.
const codex: ToolSpec = {
  tool: "codex",
  metrics: {
    "codex.thread.started": fixed("invocations"),
    "codex.turn.token_usage": byType("t.", "token_type", ["input", "cached_input", "cache_write_input", "output"]),
  },
  kindKeys: ["token_type"],
  model: (a) => str(a, "model"),
  tokens: (c) => ({
    input_tokens: pos(v(c, "t.input") - v(c, "t.cached_input")),
    output_tokens: pos(v(c, "t.output")),
    cache_read_tokens: pos(v(c, "t.cached_input")),
    cache_write_tokens: pos(v(c, "t.cache_write_input")),
  }),
  log: {
    matches: (name, a) =>
      (name === "codex.sse_event" || a["event.name"] === "codex.sse_event") && a["event.kind"] === "response.completed" && a.input_token_count !== undefined,
    components: (a) =>
      pick(a, { input_token_count: "t.input", cached_token_count: "t.cached_input", cache_write_token_count: "t.cache_write_input", output_token_count: "t.output" }),
  },
};

/** In-house agents: the OpenTelemetry GenAI semantic conventions, tool named after service.name. */
function genAi(tool: string): ToolSpec {
  return {
    tool,
    metrics: { "gen_ai.client.token.usage": byType("t.", "gen_ai.token.type", ["input", "output"]) },
    kindKeys: ["gen_ai.token.type"],
    model: (a) => str(a, "gen_ai.response.model", "gen_ai.request.model"),
    tokens: (c) => ({ input_tokens: pos(v(c, "t.input")), output_tokens: pos(v(c, "t.output")), cache_read_tokens: 0, cache_write_tokens: 0 }),
  };
}

/** A service.name as a tool slug: lowercase, other characters as '-', at most 64. */
export function toolSlug(serviceName: string): string {
  const s = serviceName.trim().toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^[^a-z0-9]+/, "").slice(0, 64);
  return s || "unknown-service";
}

export function toolFor(serviceName: string | undefined): ToolSpec {
  const name = (serviceName ?? "").trim().toLowerCase();
  if (name === "claude-code") return claudeCode;
  if (name === "gemini-cli") return geminiCli;
  if (name.startsWith("codex")) return codex;
  return genAi(toolSlug(name || "unknown-service"));
}

export const KNOWN_TOOLS = [claudeCode.tool, geminiCli.tool, codex.tool] as const;

/** Turns an event's summed components into the native counters (all fields set, as OTLP events must). */
export function toCounts(spec: ToolSpec, c: Components): Counts {
  const opt = (k: string) => (c[k] === undefined ? undefined : pos(c[k]));
  // Cost is kept to the micro-dollar, as stored, so an event's content hash is stable.
  const cost = c.cost === undefined ? undefined : Math.max(0, Math.round(c.cost * 1e6) / 1e6);
  return {
    invocations: pos(v(c, "invocations")),
    ...spec.tokens(c),
    cost_usd: cost,
    lines_added: opt("lines_added"),
    lines_removed: opt("lines_removed"),
    commits: opt("commits"),
    pull_requests: opt("pull_requests"),
  };
}

// Copy-paste setup for each CLI, for the /docs page and docs/otlp.md (keep the two in step;
// a test checks that every snippet here appears in docs/otlp.md for the placeholder host).
// Only http/json and http/protobuf are served: Next.js route handlers cannot serve gRPC.

export interface SnippetBlock {
  label: string;
  language: "bash" | "toml" | "json";
  code: string;
}

export interface SetupSnippet {
  tool: "claude-code" | "gemini-cli" | "codex" | "other";
  name: string;
  summary: string;
  blocks: SnippetBlock[];
  notes: string[];
}

export interface SnippetOptions {
  /** Wakeboard's public URL, e.g. https://wakeboard.example.com (no trailing slash needed). */
  baseUrl: string;
  /** Shown in place of the API key; never a real secret. */
  key?: string;
  team?: string;
}

export const PLACEHOLDERS = { baseUrl: "https://wakeboard.example.com", key: "wkb_YOUR_INGEST_KEY", team: "your-team" } as const;

export function setupSnippets(opts: SnippetOptions = PLACEHOLDERS): SetupSnippet[] {
  const base = opts.baseUrl.replace(/\/+$/, "");
  const key = opts.key ?? PLACEHOLDERS.key;
  const team = opts.team ?? PLACEHOLDERS.team;
  const endpoint = `${base}/api/v1/otlp`;
  const resource = `OTEL_RESOURCE_ATTRIBUTES="team.id=${team}"`;
  const headers = `OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer ${key}"`;

  return [
    {
      tool: "claude-code",
      name: "Claude Code",
      summary: "Environment variables (in the shell profile, or the \"env\" block of Claude Code's managed settings.json).",
      blocks: [
        {
          label: "Shell",
          language: "bash",
          code: [
            "export CLAUDE_CODE_ENABLE_TELEMETRY=1",
            "export OTEL_METRICS_EXPORTER=otlp",
            "export OTEL_EXPORTER_OTLP_PROTOCOL=http/json",
            `export OTEL_EXPORTER_OTLP_ENDPOINT=${endpoint}`,
            `export ${headers}`,
            `export ${resource}`,
          ].join("\n"),
        },
      ],
      notes: [
        "OTEL_EXPORTER_OTLP_PROTOCOL is required: Claude Code exports nothing without it. http/protobuf works too; grpc is not served.",
        "Claude Code does not URL-decode OTEL_EXPORTER_OTLP_HEADERS: write \"Authorization=Bearer wkb_…\" with a literal space, not %20.",
        "Metrics are delta by default; cumulative (OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE=cumulative) is counted correctly too.",
      ],
    },
    {
      tool: "gemini-cli",
      name: "Gemini CLI",
      summary: "Environment variables (or the \"telemetry\" block of ~/.gemini/settings.json).",
      blocks: [
        {
          label: "Shell",
          language: "bash",
          code: [
            "export GEMINI_TELEMETRY_ENABLED=true",
            "export GEMINI_TELEMETRY_TARGET=local",
            "export GEMINI_TELEMETRY_OTLP_PROTOCOL=http",
            `export GEMINI_TELEMETRY_OTLP_ENDPOINT=${endpoint}`,
            `export ${headers}`,
            `export ${resource}`,
          ].join("\n"),
        },
        {
          label: "~/.gemini/settings.json (instead of the GEMINI_TELEMETRY_* variables)",
          language: "json",
          code: JSON.stringify({ telemetry: { enabled: true, target: "local", otlpProtocol: "http", otlpEndpoint: endpoint } }, null, 2),
        },
      ],
      notes: [
        "Gemini CLI defaults to gRPC, which Wakeboard does not serve: GEMINI_TELEMETRY_OTLP_PROTOCOL=http is required (it sends JSON).",
        "Gemini CLI also sends traces; Wakeboard answers them with 200 and stores nothing.",
      ],
    },
    {
      tool: "codex",
      name: "Codex",
      summary: "The [otel] table of ~/.codex/config.toml; the team comes from the environment.",
      blocks: [
        {
          label: "~/.codex/config.toml",
          language: "toml",
          code: [
            "[otel]",
            'environment = "prod"',
            "log_user_prompt = false",
            `metrics_exporter = { otlp-http = { endpoint = "${endpoint}/v1/metrics", protocol = "json", headers = { "Authorization" = "Bearer ${key}" } } }`,
            `exporter = { otlp-http = { endpoint = "${endpoint}/v1/logs", protocol = "json", headers = { "Authorization" = "Bearer ${key}" } } }`,
          ].join("\n"),
        },
        { label: "Shell", language: "bash", code: `export ${resource}` },
      ],
      notes: [
        "Codex takes full URLs per signal (…/v1/metrics, …/v1/logs) and needs protocol = \"json\" or \"binary\" (protobuf); gRPC is not served.",
        "Any service.name starting with codex (codex_exec, codex_cli_rs …) is the codex tool.",
      ],
    },
    {
      tool: "other",
      name: "In-house agents (OpenTelemetry GenAI conventions)",
      summary: "Any other service.name: gen_ai.client.token.usage is counted, with the tool named after service.name.",
      blocks: [
        {
          label: "Shell",
          language: "bash",
          code: [
            "export OTEL_SERVICE_NAME=my-agent",
            "export OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
            `export OTEL_EXPORTER_OTLP_ENDPOINT=${endpoint}`,
            `export ${headers}`,
            `export ${resource}`,
          ].join("\n"),
        },
      ],
      notes: ["Or send native events to POST /api/v1/events, which also carry invocations and cost."],
    },
  ];
}

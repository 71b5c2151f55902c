import { config } from "@/lib/config";

// WAKEBOARD_OTLP_LOG_TOOLS (validated in lib/config.ts): comma-separated tool slugs
// (claude-code, gemini-cli, codex) whose tokens and cost are read from their log events
// instead of their metrics. Default: none — metrics are the source for every tool, and logs
// are accepted and not counted, so nothing is ever counted twice.

export function logTools(): string[] {
  return config().WAKEBOARD_OTLP_LOG_TOOLS;
}

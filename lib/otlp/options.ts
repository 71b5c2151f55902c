import { z } from "zod";

// WAKEBOARD_OTLP_LOG_TOOLS: comma-separated tool slugs (claude-code, gemini-cli, codex) whose
// tokens and cost are read from their log events instead of their metrics. Default: none —
// metrics are the source for every tool, and logs are accepted and not counted, so nothing
// is ever counted twice.

const schema = z
  .string()
  .default("")
  .transform((v) => v.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean))
  .pipe(z.array(z.enum(["claude-code", "gemini-cli", "codex"], { error: "must list only claude-code, gemini-cli, codex" })));

export function logTools(env: NodeJS.ProcessEnv = process.env): string[] {
  const parsed = schema.safeParse(env.WAKEBOARD_OTLP_LOG_TOOLS);
  if (!parsed.success) throw new Error(`Invalid configuration: WAKEBOARD_OTLP_LOG_TOOLS ${parsed.error.issues[0].message} (got ${JSON.stringify(env.WAKEBOARD_OTLP_LOG_TOOLS)})`);
  return parsed.data;
}

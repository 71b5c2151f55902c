import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { setupSnippets } from "@/lib/otlp/setup-snippets";

describe("setup snippets", () => {
  it("are the ones docs/otlp.md shows, verbatim", () => {
    const doc = fs.readFileSync(path.resolve(import.meta.dirname, "../../docs/otlp.md"), "utf8");
    for (const s of setupSnippets()) for (const b of s.blocks) expect(doc, `${s.name} / ${b.label}`).toContain(b.code);
  });

  it("fill in the host, key and team, and never point at gRPC", () => {
    const all = setupSnippets({ baseUrl: "https://wb.acme.dev/", key: "wkb_x", team: "payments" })
      .flatMap((s) => s.blocks.map((b) => b.code))
      .join("\n");
    expect(all).toContain("OTEL_EXPORTER_OTLP_ENDPOINT=https://wb.acme.dev/api/v1/otlp\n");
    expect(all).toContain('endpoint = "https://wb.acme.dev/api/v1/otlp/v1/metrics", protocol = "json"');
    expect(all).toContain('OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer wkb_x"');
    expect(all).toContain('OTEL_RESOURCE_ATTRIBUTES="team.id=payments"');
    expect(all).not.toMatch(/grpc/i);
  });
});

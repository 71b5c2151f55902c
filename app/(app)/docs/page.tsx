import type { Metadata } from "next";
import { headers } from "next/headers";
import { requireViewer } from "@/lib/auth/viewer";
import { setupSnippets } from "@/lib/otlp/setup-snippets";
import { CodeBlock } from "@/components/docs/code-block";

export const metadata: Metadata = { title: "Connect a tool" };

async function publicUrl(): Promise<string> {
  if (process.env.NEXTAUTH_URL) return process.env.NEXTAUTH_URL.replace(/\/+$/, "");
  const h = await headers();
  const host = h.get("x-forwarded-host") ?? h.get("host") ?? "localhost:3000";
  const proto = h.get("x-forwarded-proto") ?? (host.startsWith("localhost") || host.startsWith("127.") ? "http" : "https");
  return `${proto}://${host}`;
}

export default async function DocsPage({ searchParams }: { searchParams: Promise<{ team?: string }> }) {
  const viewer = await requireViewer();
  const { team } = await searchParams;
  const teamSlug = team && /^[a-z0-9][a-z0-9._-]{0,63}$/.test(team) ? team : undefined;
  const baseUrl = await publicUrl();
  const snippets = setupSnippets({ baseUrl, team: teamSlug });
  const curl = [
    `curl -sS ${baseUrl}/api/v1/events \\`,
    `  -H 'Authorization: Bearer wkb_YOUR_INGEST_KEY' -H 'Content-Type: application/json' \\`,
    `  -d '{"id":"build-4711-step-3","timestamp":"2026-11-23T09:30:00Z","tool":"my-agent","team":"${teamSlug ?? "your-team"}",`,
    `       "user":"dev@example.com","model":"my-model","input_tokens":1200,"output_tokens":80}'`,
  ].join("\n");

  return (
    <div className="space-y-8">
      <header className="max-w-3xl">
        <h1 className="text-2xl font-semibold">Connect a tool</h1>
        <p className="mt-2 text-slate-600">
          Claude Code, Gemini CLI and Codex already speak OpenTelemetry: point their exporter at Wakeboard with the settings below and
          their usage appears within a minute. Each needs an API key with the <code className="rounded bg-slate-100 px-1">ingest</code> scope
          {viewer.role === "admin" ? (
            <> — create one under <a href="/admin/keys" className="text-brand-600 underline">Admin → API keys</a>.</>
          ) : (
            <> — ask a Wakeboard admin for one.</>
          )}{" "}
          Only <strong>http/json</strong> and <strong>http/protobuf</strong> are served (not gRPC).
          Scripts and other tools: see the <a href="/docs/api" className="text-brand-600 underline">API reference</a>.
        </p>
        <form className="mt-4 flex items-end gap-2" method="get">
          <label className="text-sm">
            <span className="block font-medium text-slate-700">Team to tag (optional)</span>
            <input name="team" defaultValue={teamSlug ?? ""} placeholder="your-team" pattern="[a-z0-9][a-z0-9._\-]{0,63}"
              className="mt-1 rounded-md border border-slate-300 px-3 py-1.5 text-sm" />
          </label>
          <button type="submit" className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700">Fill in</button>
        </form>
        <p className="mt-2 text-sm text-slate-500">
          Without a team, events count for the person&apos;s team (from the roster), else the API key&apos;s team, else &ldquo;unassigned&rdquo;.
        </p>
      </header>

      <nav aria-label="Tools" className="flex flex-wrap gap-2 text-sm">
        {snippets.map((s) => (
          <a key={s.tool} href={`#${s.tool}`} className="rounded-full border border-slate-300 bg-white px-3 py-1 hover:border-brand-500">{s.name}</a>
        ))}
        <a href="#native" className="rounded-full border border-slate-300 bg-white px-3 py-1 hover:border-brand-500">Scripts (JSON API)</a>
      </nav>

      {snippets.map((s) => (
        <section key={s.tool} id={s.tool} aria-labelledby={`${s.tool}-title`} className="max-w-4xl scroll-mt-6 space-y-3 rounded-xl border border-slate-200 bg-white p-5">
          <h2 id={`${s.tool}-title`} className="text-lg font-semibold">{s.name}</h2>
          <p className="text-sm text-slate-600">{s.summary}</p>
          {s.blocks.map((b) => (
            <CodeBlock key={b.label} label={b.label} code={b.code} />
          ))}
          <ul className="list-disc space-y-1 pl-5 text-sm text-slate-600">
            {s.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </section>
      ))}

      <section id="native" aria-labelledby="native-title" className="max-w-4xl scroll-mt-6 space-y-3 rounded-xl border border-slate-200 bg-white p-5">
        <h2 id="native-title" className="text-lg font-semibold">Scripts and other tools: the JSON API</h2>
        <p className="text-sm text-slate-600">
          POST one event, <code>{`{"events": [...]}`}</code> (up to 1,000) or NDJSON to <code>/api/v1/events</code>. The <code>id</code> makes
          retries safe: the same id is counted once.
        </p>
        <CodeBlock label="curl" code={curl} />
      </section>
    </div>
  );
}

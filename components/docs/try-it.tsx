"use client";

import { useState } from "react";

// "Try it" for one operation of the API reference: sends the request from the browser to
// this same origin (the CSP allows nothing else) with the key typed in, and shows the answer.

export function TryIt({ method, path, body, contentType }: { method: string; path: string; body?: string; contentType?: string }) {
  const [key, setKey] = useState("");
  const [url, setUrl] = useState(path);
  const [text, setText] = useState(body ?? "");
  const [answer, setAnswer] = useState<{ status: number; headers: string; body: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function send() {
    setBusy(true);
    try {
      const headers: Record<string, string> = {};
      if (key.trim()) headers.authorization = `Bearer ${key.trim()}`;
      if (method !== "GET" && contentType) headers["content-type"] = contentType;
      const res = await fetch(url, { method, headers, body: method === "GET" ? undefined : text, credentials: "same-origin" });
      const raw = await res.text();
      let shown = raw;
      try {
        shown = JSON.stringify(JSON.parse(raw), null, 2);
      } catch {
        /* not JSON: show as is */
      }
      const keep = ["content-type", "retry-after", "x-request-id"];
      setAnswer({ status: res.status, headers: keep.flatMap((h) => (res.headers.get(h) ? [`${h}: ${res.headers.get(h)}`] : [])).join("\n"), body: shown.slice(0, 20_000) });
    } catch (e) {
      setAnswer({ status: 0, headers: "", body: String(e) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <details className="mt-3 rounded-md border border-slate-200 bg-slate-50 p-3 text-sm">
      <summary className="cursor-pointer font-medium text-slate-700">Try it</summary>
      <div className="mt-3 space-y-2">
        <label className="block">
          <span className="text-slate-600">API key (leave empty to use your session)</span>
          <input type="password" autoComplete="off" value={key} onChange={(e) => setKey(e.target.value)} placeholder="wkb_…" className="mt-1 w-full rounded border border-slate-300 px-2 py-1 font-mono" />
        </label>
        <label className="block">
          <span className="text-slate-600">URL</span>
          <input value={url} onChange={(e) => setUrl(e.target.value)} className="mt-1 w-full rounded border border-slate-300 px-2 py-1 font-mono" />
        </label>
        {method !== "GET" && (
          <label className="block">
            <span className="text-slate-600">Body ({contentType})</span>
            <textarea value={text} onChange={(e) => setText(e.target.value)} rows={6} className="mt-1 w-full rounded border border-slate-300 px-2 py-1 font-mono text-xs" />
          </label>
        )}
        <button type="button" onClick={send} disabled={busy} className="rounded-md bg-brand-600 px-3 py-1.5 font-medium text-white hover:bg-brand-700 disabled:opacity-50">
          {busy ? "Sending…" : `Send ${method}`}
        </button>
        {answer && (
          <div aria-live="polite">
            <p className="font-medium">Status {answer.status}</p>
            {answer.headers && <pre className="mt-1 whitespace-pre-wrap text-xs text-slate-600">{answer.headers}</pre>}
            <pre className="mt-1 max-h-80 overflow-auto rounded bg-slate-900 p-2 text-xs text-slate-100">{answer.body}</pre>
          </div>
        )}
      </div>
    </details>
  );
}

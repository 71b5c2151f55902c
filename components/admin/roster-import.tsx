"use client";

import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/auth/action";
import type { RosterPreview, RosterResult } from "@/lib/admin/roster";
import { ActionOutcome } from "@/components/admin/action-form";
import { inputClass, labelClass } from "@/components/admin/styles";
import { TableHead } from "@/components/admin/table-head";

type Preview = (input: { csv: string; effective: string }) => Promise<ActionResult<RosterPreview>>;
type Apply = (input: { csv: string; effective: string }) => Promise<ActionResult<RosterResult>>;

const ACTION_LABEL = { create: "new", update: "update", move: "move", unchanged: "unchanged" } as const;

/** Choose a file → preview (nothing written) → apply the valid rows. */
export function RosterImport({ preview, apply, today }: { preview: Preview; apply: Apply; today: string }) {
  const [csv, setCsv] = useState("");
  const [effective, setEffective] = useState(today);
  const [result, setResult] = useState<ActionResult<RosterPreview> | null>(null);
  const [applied, setApplied] = useState<ActionResult<RosterResult> | null>(null);
  const [pending, start] = useTransition();

  const data = applied?.ok ? applied.data : result?.ok ? result.data : null;
  const valid = data ? data.counts.create + data.counts.update + data.counts.move : 0;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-3">
        <label className={labelClass}>
          Roster file (CSV)
          <input
            type="file"
            accept=".csv,text/csv"
            className="text-sm"
            onChange={async (e) => {
              const file = e.target.files?.[0];
              setCsv(file ? await file.text() : "");
              setResult(null);
              setApplied(null);
            }}
          />
        </label>
        <label className={labelClass}>
          Moves take effect on
          <input
            type="date"
            value={effective}
            max={today}
            onChange={(e) => {
              setEffective(e.target.value);
              setResult(null);
              setApplied(null);
            }}
            className={inputClass}
          />
        </label>
      </div>
      <label className={labelClass}>
        …or paste it
        <textarea
          value={csv}
          onChange={(e) => {
            setCsv(e.target.value);
            setResult(null);
            setApplied(null);
          }}
          rows={6}
          spellCheck={false}
          placeholder={"email,name,team,identities\nada@example.com,Ada Lovelace,checkout,github:ada-l"}
          className={`${inputClass} font-mono`}
        />
      </label>
      <div className="flex gap-2">
        <button
          type="button"
          disabled={pending || !csv}
          onClick={() => start(async () => { setApplied(null); setResult(await preview({ csv, effective })); })}
          className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-60"
        >
          Preview
        </button>
        <button
          type="button"
          disabled={pending || !result?.ok || valid === 0 || !!applied?.ok}
          onClick={() => start(async () => setApplied(await apply({ csv, effective })))}
          className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-60"
        >
          Apply {valid} change{valid === 1 ? "" : "s"}
        </button>
      </div>
      {result && !result.ok && <ActionOutcome state={result} />}
      {applied && !applied.ok && <ActionOutcome state={applied} />}
      {applied?.ok && (
        <p role="status" className="text-sm text-emerald-700">
          Applied: {applied.data.counts.create} created, {applied.data.counts.move} moved, {applied.data.counts.update} updated,{" "}
          {applied.data.counts.unchanged} unchanged, {applied.data.counts.invalid} skipped (effective {applied.data.effective}).
        </p>
      )}
      {data && data.fileErrors.length > 0 && (
        <div role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">{data.fileErrors.join(" ")}</div>
      )}
      {data && data.rows.length > 0 && (
        <table className="w-full text-left text-sm">
          <caption className="mb-2 text-left text-slate-600">
            {data.counts.create} new, {data.counts.move} moves, {data.counts.update} updates, {data.counts.unchanged} unchanged, {data.counts.invalid} with errors
          </caption>
          <TableHead columns={["Line", "Email", "Result", "Details"]} dense />
          <tbody>
            {data.rows.map((r) => (
              <tr key={r.line} className="border-b border-slate-100 align-top">
                <td className="py-1 pr-3 tabular-nums">{r.line}</td>
                <td className="py-1 pr-3">{r.email || "—"}</td>
                {"errors" in r ? (
                  <>
                    <td className="py-1 pr-3 font-medium text-red-700">error</td>
                    <td className="py-1 text-red-700">{r.errors.join("; ")}</td>
                  </>
                ) : (
                  <>
                    <td className="py-1 pr-3">{ACTION_LABEL[r.action]}</td>
                    <td className="py-1 text-slate-600">{r.changes.join("; ")}</td>
                  </>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

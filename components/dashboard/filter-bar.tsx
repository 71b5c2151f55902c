"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState, useTransition } from "react";
import { MultiSelect } from "@/components/dashboard/multi-select";

// The pickers of a dashboard page. Every choice goes into the URL (pushed, so Back undoes
// it) and the server renders the new view; nothing is kept in client state.

export interface Option {
  value: string;
  label: string;
  depth?: number;
}

export type Control = "period" | "metric" | "view" | "unit" | "tool" | "model" | "grain" | "avg" | "teams";

export interface FilterBarProps {
  controls: Control[];
  metrics?: Option[];
  units?: Option[];
  tools?: Option[];
  models?: Option[];
  teams?: Option[];
  maxTeams?: number;
  defaults?: Partial<Record<"period" | "metric" | "view" | "grain", string>>;
}

const PRESETS = ["today", "7d", "30d", "90d"];

/** The picker's name for a relative period (the server's periodLabel says the same). */
function presetLabel(p: string): string {
  if (p === "today") return "Today (so far)";
  const n = Number(p.replace("d", ""));
  return n === 1 ? "Yesterday" : `Last ${n} days`;
}

function periodMode(p: string): "preset" | "week" | "range" {
  if (/^\d{4}-W\d{2}$/.test(p)) return "week";
  if (p.includes("..")) return "range";
  return "preset";
}

const field = "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm text-slate-900 shadow-sm";

export function FilterBar(props: FilterBarProps) {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const [pending, startTransition] = useTransition();
  const d = props.defaults ?? {};
  const get = (k: string, fallback = "") => search.get(k) ?? fallback;
  const period = get("period", d.period ?? "30d");
  const [mode, setMode] = useState(periodMode(period));
  const [range, setRange] = useState(() => {
    const [from, to] = period.includes("..") ? period.split("..") : ["", ""];
    return { from, to };
  });

  const update = (changes: Record<string, string | string[] | null>) => {
    const q = new URLSearchParams(search.toString());
    for (const [k, v] of Object.entries(changes)) {
      const value = Array.isArray(v) ? v.join(",") : v;
      if (value) q.set(k, value);
      else q.delete(k);
    }
    const s = q.toString();
    startTransition(() => router.push(s ? `${pathname}?${s}` : pathname, { scroll: false }));
  };
  const list = (k: string) => (search.get(k) ?? "").split(",").filter(Boolean);
  const has = (c: Control) => props.controls.includes(c);

  return (
    <div className="flex flex-wrap items-end gap-3" role="group" aria-label="Filters" aria-busy={pending}>
      {has("period") && (
        <div className="flex flex-col gap-1">
          <label htmlFor="f-period" className="text-xs font-medium text-slate-600">Period</label>
          <div className="flex items-center gap-2">
            <select
              id="f-period"
              className={field}
              value={mode === "preset" ? period : mode}
              onChange={(e) => {
                const v = e.target.value;
                if (v === "week" || v === "range") setMode(v);
                else {
                  setMode("preset");
                  update({ period: v });
                }
              }}
            >
              {PRESETS.map((p) => (
                <option key={p} value={p}>{presetLabel(p)}</option>
              ))}
              {mode === "preset" && !PRESETS.includes(period) && /^\d+d$/.test(period) && <option value={period}>{presetLabel(period)}</option>}
              <option value="week">ISO week…</option>
              <option value="range">Custom range…</option>
            </select>
            {mode === "week" && (
              <input
                type="week"
                aria-label="ISO week"
                className={field}
                defaultValue={periodMode(period) === "week" ? period : ""}
                onChange={(e) => e.target.value && update({ period: e.target.value })}
              />
            )}
            {mode === "range" && (
              <form
                className="flex items-center gap-1"
                onSubmit={(e) => {
                  e.preventDefault();
                  if (range.from && range.to) update({ period: `${range.from}..${range.to}` });
                }}
              >
                <input type="date" aria-label="From" className={field} value={range.from} onChange={(e) => setRange({ ...range, from: e.target.value })} />
                <span aria-hidden>–</span>
                <input type="date" aria-label="To" className={field} value={range.to} min={range.from} onChange={(e) => setRange({ ...range, to: e.target.value })} />
                <button type="submit" className="rounded-md bg-brand-600 px-2.5 py-1.5 text-sm font-medium text-white hover:bg-brand-700">Apply</button>
              </form>
            )}
          </div>
        </div>
      )}
      {has("metric") && props.metrics && (
        <Select id="f-metric" label="Metric" value={get("metric", d.metric ?? "tokens")} options={props.metrics} onChange={(v) => update({ metric: v })} />
      )}
      {has("grain") && (
        <Select id="f-grain" label="Granularity" value={get("grain", d.grain ?? "day")} options={[{ value: "day", label: "By day" }, { value: "week", label: "By week" }]} onChange={(v) => update({ grain: v })} />
      )}
      {has("avg") && get("grain", d.grain ?? "day") === "day" && (
        <Select id="f-avg" label="Daily lines" value={get("avg", "7d")} options={[{ value: "7d", label: "7-day average" }, { value: "off", label: "Daily values" }]} onChange={(v) => update({ avg: v === "7d" ? null : v })} />
      )}
      {has("view") && (
        <Select id="f-view" label="Rank" value={get("view", d.view ?? "teams")} options={[{ value: "teams", label: "Teams" }, { value: "units", label: "Org units (roll-up)" }]} onChange={(v) => update({ view: v })} />
      )}
      {has("unit") && props.units && (
        <Select id="f-unit" label="Org unit" value={get("unit")} options={[{ value: "", label: "Whole org" }, ...props.units]} onChange={(v) => update({ unit: v || null })} />
      )}
      {has("tool") && props.tools && <MultiSelect label="Tools" all="All tools" options={props.tools} selected={list("tool")} onChange={(v) => update({ tool: v })} />}
      {has("model") && props.models && <MultiSelect label="Models" all="All models" options={props.models} selected={list("model")} onChange={(v) => update({ model: v })} />}
      {has("teams") && props.teams && (
        <MultiSelect label="Teams" all="Top teams" options={props.teams} selected={list("teams")} max={props.maxTeams} onChange={(v) => update({ teams: v })} />
      )}
      <span role="status" aria-live="polite" className="pb-2 text-xs text-slate-500">{pending ? "Updating…" : ""}</span>
    </div>
  );
}

function Select(props: { id: string; label: string; value: string; options: Option[]; onChange: (v: string) => void }) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={props.id} className="text-xs font-medium text-slate-600">{props.label}</label>
      <select id={props.id} className={field} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>{"\u00a0\u00a0".repeat(o.depth ?? 0)}{o.label}</option>
        ))}
      </select>
    </div>
  );
}

"use client";

import { useEffect, useId, useRef } from "react";
import type { Option } from "@/components/dashboard/filter-bar";

// A dropdown of checkboxes (tools, models, teams). Native <details> keeps it keyboard- and
// screen-reader-usable without a widget library.

export function MultiSelect(props: { label: string; all: string; options: Option[]; selected: string[]; max?: number; onChange: (v: string[]) => void }) {
  const id = useId();
  const ref = useRef<HTMLDetailsElement>(null);
  // Close like a menu: on a click elsewhere or Escape (focus returns to the toggle).
  useEffect(() => {
    const onPointer = (e: PointerEvent) => {
      if (ref.current?.open && !ref.current.contains(e.target as Node)) ref.current.open = false;
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape" && ref.current?.open) {
        ref.current.open = false;
        ref.current.querySelector("summary")?.focus();
      }
    };
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      document.removeEventListener("keydown", onKey);
    };
  }, []);
  const chosen = new Set(props.selected);
  const full = props.max !== undefined && chosen.size >= props.max;
  const summary = chosen.size === 0 ? props.all : chosen.size === 1 ? (props.options.find((o) => chosen.has(o.value))?.label ?? [...chosen][0]) : `${chosen.size} selected`;
  return (
    <div className="flex flex-col gap-1">
      <span id={id} className="text-xs font-medium text-slate-600">{props.label}</span>
      <details ref={ref} className="relative">
        <summary aria-labelledby={id} className="cursor-pointer list-none rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm shadow-sm">
          {summary} <span aria-hidden className="text-slate-400">▾</span>
        </summary>
        <fieldset className="absolute z-20 mt-1 max-h-72 min-w-56 overflow-auto rounded-md border border-slate-200 bg-white p-2 shadow-lg">
          <legend className="sr-only">{props.label}</legend>
          {props.selected.length > 0 && (
            <button type="button" className="mb-1 text-xs text-brand-700 hover:underline" onClick={() => props.onChange([])}>
              Clear ({props.all.toLowerCase()})
            </button>
          )}
          {props.options.map((o) => (
            <label key={o.value} className="flex items-center gap-2 rounded px-1 py-0.5 text-sm hover:bg-slate-50">
              <input
                type="checkbox"
                checked={chosen.has(o.value)}
                disabled={full && !chosen.has(o.value)}
                onChange={(e) => props.onChange(e.target.checked ? [...props.selected, o.value] : props.selected.filter((v) => v !== o.value))}
              />
              <span style={{ paddingLeft: `${(o.depth ?? 0) * 0.75}rem` }}>{o.label}</span>
            </label>
          ))}
          {props.max !== undefined && <p className="mt-1 text-xs text-slate-500">Up to {props.max}.</p>}
        </fieldset>
      </details>
    </div>
  );
}

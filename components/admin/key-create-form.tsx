"use client";

import { useActionState } from "react";
import type { ActionResult } from "@/lib/auth/action";
import { ActionOutcome } from "@/components/admin/action-form";
import { inputClass, labelClass } from "@/components/admin/styles";
import { CopyButton } from "@/components/ui/copy-button";

type Created = ActionResult<{ secret: string; prefix: string }>;

/** Creates a key and shows its secret once, with a copy button; a reload forgets it. */
export function KeyCreateForm({ action, teams }: { action: (prev: Created | null, form: FormData) => Promise<Created>; teams: string[] }) {
  const [state, formAction, pending] = useActionState<Created | null, FormData>(action, null);
  return (
    <div className="space-y-3">
      <form action={formAction} className="flex flex-wrap items-end gap-3">
        <label className={labelClass}>
          Name
          <input name="name" required maxLength={100} placeholder="claude-code-platform" className={inputClass} />
        </label>
        <fieldset className="flex items-center gap-3 text-sm">
          <legend className="sr-only">Scopes</legend>
          {(["ingest", "read", "export"] as const).map((s) => (
            <label key={s} className="flex items-center gap-1">
              <input type="checkbox" name="scopes" value={s} defaultChecked={s === "ingest"} /> {s}
            </label>
          ))}
        </fieldset>
        <label className={labelClass}>
          Team (optional)
          <select name="team" defaultValue="" className={inputClass}>
            <option value="">any team</option>
            {teams.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={pending} className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-60">
          {pending ? "Creating…" : "Create key"}
        </button>
      </form>
      {state && !state.ok && <ActionOutcome state={state} />}
      {state?.ok && (
        <div className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm">
          <p className="font-medium text-amber-900">Copy this key now: it will not be shown again.</p>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <code data-testid="new-key-secret" className="rounded bg-white px-2 py-1 font-mono text-xs break-all">{state.data.secret}</code>
            <CopyButton text={state.data.secret} />
          </div>
        </div>
      )}
    </div>
  );
}

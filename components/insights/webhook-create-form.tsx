"use client";

import { useActionState } from "react";
import type { ActionResult } from "@/lib/auth/action";
import { ActionOutcome } from "@/components/admin/action-form";
import { CopyButton } from "@/components/ui/copy-button";
import { createWebhookAction } from "@/app/(app)/alerts/actions";

type Created = ActionResult<{ id: number; secret: string }>;

/** Adds a webhook and shows its signing secret once, with a copy button. */
export function WebhookCreateForm({ inputClass, labelClass }: { inputClass: string; labelClass: string }) {
  const [state, formAction, pending] = useActionState<Created | null, FormData>(createWebhookAction as (prev: Created | null, form: FormData) => Promise<Created>, null);
  return (
    <div className="space-y-3">
      <form action={formAction} className="flex flex-wrap items-end gap-3">
        <label className={labelClass}>
          Name
          <input name="name" required maxLength={100} placeholder="#eng-managers" className={inputClass} />
        </label>
        <label className={labelClass}>
          URL
          <input name="url" type="url" required placeholder="https://hooks.slack.com/services/…" className={`${inputClass} w-96`} />
        </label>
        <label className="flex items-center gap-2 pb-2 text-sm text-slate-700">
          <input type="checkbox" name="digest" /> Also the Monday digest
        </label>
        <button type="submit" disabled={pending} className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-60">
          {pending ? "Adding…" : "Add webhook"}
        </button>
      </form>
      {state && !state.ok && <ActionOutcome state={state} />}
      {state?.ok && (
        <div className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm">
          <p className="font-medium text-amber-900">Signing secret (shown once): verify X-Wakeboard-Signature with it.</p>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <code data-testid="new-webhook-secret" className="rounded bg-white px-2 py-1 font-mono text-xs break-all">{state.data.secret}</code>
            <CopyButton text={state.data.secret} />
          </div>
        </div>
      )}
    </div>
  );
}

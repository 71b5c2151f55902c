"use client";

import { useActionState, useEffect, useRef } from "react";
import type { ActionResult } from "@/lib/auth/action";

export type FormAction = (prev: ActionResult<unknown> | null, form: FormData) => Promise<ActionResult<unknown>>;

/**
 * A form bound to a server action: shows a pending button, the outcome, and field errors by
 * name. `confirm` asks before submitting (archive, revoke, disable).
 */
export function ActionForm({
  action,
  children,
  submit,
  success,
  confirm,
  reset = false,
  className = "flex flex-wrap items-end gap-2",
  buttonClass = "rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-60",
}: {
  action: FormAction;
  children?: React.ReactNode;
  submit: string;
  success?: string;
  confirm?: string;
  reset?: boolean;
  className?: string;
  buttonClass?: string;
}) {
  const [state, formAction, pending] = useActionState<ActionResult<unknown> | null, FormData>(action, null);
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state?.ok && reset) ref.current?.reset();
  }, [state, reset]);
  return (
    <form
      ref={ref}
      action={formAction}
      className={className}
      onSubmit={(e) => {
        if (confirm && !window.confirm(confirm)) e.preventDefault();
      }}
    >
      {children}
      <button type="submit" disabled={pending} className={buttonClass}>
        {pending ? "Saving…" : submit}
      </button>
      <ActionOutcome state={state} success={success} />
    </form>
  );
}

export function ActionOutcome({ state, success }: { state: ActionResult<unknown> | null; success?: string }) {
  if (!state) return null;
  if (state.ok) return success ? <p role="status" className="w-full text-sm text-emerald-700">{state.message ?? success}</p> : null;
  return (
    <div role="alert" className="w-full rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
      <p>{state.message}</p>
      {state.fieldErrors && state.code === "invalid" && (
        <ul className="mt-1 list-disc pl-5">
          {Object.entries(state.fieldErrors).map(([field, message]) => (
            <li key={field}>
              {field}: {message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

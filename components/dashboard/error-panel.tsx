"use client";

/** What a dashboard page shows when its data could not be loaded: what happened and a retry. */
export function ErrorPanel({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="rounded-lg border border-rose-200 bg-rose-50 p-6" role="alert">
      <h2 className="font-semibold text-rose-900">This view could not be loaded</h2>
      <p className="mt-1 text-sm text-rose-800">
        The figures could not be read — usually the database is busy or unavailable. Try again in a moment.
        {error.digest && <span className="block text-xs text-rose-700">Reference: {error.digest}</span>}
      </p>
      <button type="button" onClick={reset} className="mt-3 rounded-md bg-rose-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-rose-800">
        Try again
      </button>
    </div>
  );
}

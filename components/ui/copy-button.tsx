"use client";

import { useState } from "react";

const TONES = {
  light: "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50",
  dark: "rounded border border-slate-600 px-2 py-0.5 text-xs text-slate-200 hover:bg-slate-700",
};

/** Copies `text` to the clipboard and says so until the text changes. */
export function CopyButton({ text, label = "Copy", tone = "light" }: { text: string; label?: string; tone?: keyof typeof TONES }) {
  const [copied, setCopied] = useState<string | null>(null);
  return (
    <button
      type="button"
      aria-live="polite"
      onClick={async () => {
        await navigator.clipboard.writeText(text);
        setCopied(text);
      }}
      className={TONES[tone]}
    >
      {copied === text ? "Copied" : label}
    </button>
  );
}

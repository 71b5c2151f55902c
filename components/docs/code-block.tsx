import { CopyButton } from "@/components/ui/copy-button";

export function CodeBlock({ label, code }: { label: string; code: string }) {
  return (
    <figure className="overflow-hidden rounded-lg bg-slate-900">
      <figcaption className="flex items-center justify-between border-b border-slate-700 px-3 py-1.5 text-xs text-slate-300">
        <span>{label}</span>
        <CopyButton text={code} tone="dark" />
      </figcaption>
      <pre className="overflow-x-auto p-3 text-[13px] leading-relaxed text-slate-100">
        <code>{code}</code>
      </pre>
    </figure>
  );
}

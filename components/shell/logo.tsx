export function Logo({ className = "h-7 w-7" }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" className={className} aria-hidden="true">
      <rect width="32" height="32" rx="8" className="fill-brand-600" />
      <path d="M5 20c4-5 7-5 11 0s7 5 11 0" fill="none" stroke="white" strokeWidth="2.5" strokeLinecap="round" />
      <path d="M9 13l14-4" stroke="white" strokeWidth="2.5" strokeLinecap="round" />
    </svg>
  );
}

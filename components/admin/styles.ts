// Shared form classes. Kept out of "use client" modules: a server component importing a value
// from one gets a client reference, not the string.
export const inputClass = "rounded-md border border-slate-300 px-2 py-1.5 text-sm focus:border-brand-500";
export const labelClass = "flex flex-col gap-1 text-xs font-medium text-slate-600";

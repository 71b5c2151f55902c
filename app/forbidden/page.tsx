import Link from "next/link";

export default function Forbidden() {
  return (
    <main className="mx-auto max-w-lg px-4 py-24 text-center">
      <h1 className="text-2xl font-semibold">You don&apos;t have access to this page</h1>
      <p className="mt-2 text-slate-600">Ask a Wakeboard admin if you need it.</p>
      <Link href="/" className="mt-6 inline-block text-brand-600 underline">Back to the overview</Link>
    </main>
  );
}

import { requireViewer } from "@/lib/auth/viewer";

// Placeholder until its issue lands.
export default async function Page() {
  await requireViewer();
  return (
    <section>
      <h1 className="text-2xl font-semibold">Connect a tool</h1>
      <p className="mt-2 text-slate-600">Coming soon.</p>
    </section>
  );
}

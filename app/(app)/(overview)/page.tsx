import { requireViewer } from "@/lib/auth/viewer";

// Placeholder: the overview (KPIs, top teams, trend) is built by the dashboard issue.
export default async function OverviewPage() {
  await requireViewer();
  return (
    <section>
      <h1 className="text-2xl font-semibold">Overview</h1>
      <p className="mt-2 text-slate-600">Team usage of AI coding agents at a glance.</p>
    </section>
  );
}

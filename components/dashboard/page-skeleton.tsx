import { KpiCardsSkeleton } from "@/components/dashboard/kpi-cards";
import { PanelSkeleton, Skeleton } from "@/components/dashboard/ui";

/** What a dashboard page shows while its data loads (each page's loading.tsx). */
export function PageSkeleton() {
  return (
    <div aria-busy="true">
      <p className="sr-only" role="status">Loading…</p>
      <Skeleton className="mb-6 h-16" />
      <KpiCardsSkeleton />
      <div className="mt-6">
        <PanelSkeleton title="Loading" height="h-80" />
      </div>
    </div>
  );
}

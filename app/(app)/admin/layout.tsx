import { requireViewer } from "@/lib/auth/viewer";
import { AdminNav } from "@/components/admin/admin-nav";

// Each admin page checks the role itself too: layouts and pages render independently.
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  await requireViewer(["admin"]);
  return (
    <div className="space-y-6">
      <AdminNav />
      {children}
    </div>
  );
}

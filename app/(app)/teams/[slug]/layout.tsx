import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { requireViewer } from "@/lib/auth/viewer";
import { loadOrg } from "@/lib/queries/org";

// An unknown team answers HTTP 404. The check sits in the layout, outside the page's
// loading boundary: once the loading skeleton streams, the status (200) is already sent.
export default async function TeamLayout({ children, params }: { children: ReactNode; params: Promise<{ slug: string }> }) {
  await requireViewer();
  const slug = (await params).slug.toLowerCase();
  const org = await loadOrg();
  if (!org.bySlug.has(slug)) notFound();
  return children;
}

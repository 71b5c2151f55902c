import { copilot } from "@/lib/connectors/vendors/copilot";
import { claudeCode } from "@/lib/connectors/vendors/claude-code";
import { cursor } from "@/lib/connectors/vendors/cursor";
import type { Vendor, VendorSlug } from "@/lib/connectors/types";

// The vendors a connector can pull from.
export const VENDORS: Vendor[] = [copilot, claudeCode, cursor];

export const vendorOf = (slug: string): Vendor | undefined => VENDORS.find((v) => v.slug === slug);
export const isVendorSlug = (slug: string): slug is VendorSlug => VENDORS.some((v) => v.slug === slug);

import { Nav } from "@/components/shell/nav";

const ITEMS = [
  { href: "/admin/teams", label: "Teams" },
  { href: "/admin/people", label: "People" },
  { href: "/admin/identities", label: "Unmapped identities" },
  { href: "/admin/roster", label: "Roster import" },
  { href: "/admin/keys", label: "API keys" },
  { href: "/admin/connectors", label: "Connectors" },
  { href: "/admin/users", label: "Users" },
  { href: "/admin/github", label: "GitHub" },
  { href: "/admin/audit", label: "Audit log" },
];

export function AdminNav() {
  return <Nav items={ITEMS} label="Administration" className="border-b border-slate-200 pb-2" />;
}

import type { Metadata } from "next";
import { requireViewer } from "@/lib/auth/viewer";
import { config } from "@/lib/config";
import { dayOf } from "@/lib/time/calendar";
import { RosterImport } from "@/components/admin/roster-import";
import { applyRosterAction, previewRosterAction } from "./actions";

export const metadata: Metadata = { title: "Roster import · Admin" };

export default async function RosterAdminPage() {
  await requireViewer(["admin"]);
  return (
    <section className="space-y-4">
      <h1 className="text-2xl font-semibold">Roster import</h1>
      <div className="max-w-3xl space-y-2 text-sm text-slate-600">
        <p>
          A CSV with the header <code>email,name,team</code> and an optional <code>identities</code> column: ids the tools report for that
          person, separated by <code>;</code>, each <code>kind:value</code> (<code>github:ada-l</code>, <code>user.account_uuid:…</code>) or a
          bare value. Teams must exist. Preview shows what each line would do; apply writes the valid lines and skips the others.
        </p>
        <p>
          Importing the same file again changes nothing. A person whose team changes moves on the effective date: their usage before
          it stays with the old team.
        </p>
      </div>
      <RosterImport preview={previewRosterAction} apply={applyRosterAction} today={dayOf(new Date(), config().WAKEBOARD_TZ)} />
    </section>
  );
}

import type { PeopleViewer } from "@/lib/queries/people-access";

// Who may export what (DESIGN.md §7, §8): everyone who may export gets team-level grains;
// per-person rows only for admins and for managers (of their own teams, above the privacy
// floor — checked per team by the query). API keys never receive per-person data. The CLI
// and the schedule run as the operator, who holds the database anyway: like an admin.

export type ExportRequester = { kind: "viewer"; viewer: PeopleViewer } | { kind: "key" } | { kind: "system" };

export class ExportForbiddenError extends Error {}

export function mayExportPeople(r: ExportRequester): boolean {
  if (r.kind === "system") return true;
  if (r.kind === "key") return false;
  return r.viewer.role === "admin" || (r.viewer.role === "manager" && r.viewer.managedTeamIds.length > 0);
}

export function assertMayExport(r: ExportRequester, grain: string): void {
  if (grain !== "person" || mayExportPeople(r)) return;
  throw new ExportForbiddenError(
    r.kind === "key"
      ? "API keys never receive per-person data: use grain=team or grain=team-tool, or sign in"
      : "Per-person exports are for admins and for managers of a team",
  );
}

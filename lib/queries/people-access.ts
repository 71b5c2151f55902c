// Who may see per-person figures (DESIGN.md §5, §7): admins always; managers for the teams
// (and sub-teams) they manage; nobody else. Below the privacy floor — fewer than
// WAKEBOARD_MIN_GROUP active people in the period — only admins.

export interface PeopleViewer {
  role: "admin" | "manager" | "viewer";
  /** Teams managed, including their sub-teams. */
  managedTeamIds: number[];
}

export type PeopleAccess = "ok" | "not-allowed" | "privacy-floor";

export function peopleAccess(viewer: PeopleViewer | null | undefined, teamId: number, activeUsers: number, minGroup: number): PeopleAccess {
  if (!viewer) return "not-allowed";
  if (viewer.role === "admin") return "ok";
  if (viewer.role !== "manager" || !viewer.managedTeamIds.includes(teamId)) return "not-allowed";
  return activeUsers < minGroup ? "privacy-floor" : "ok";
}

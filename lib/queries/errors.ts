/** A query asked about something that does not exist (an unknown team or org unit). */
export class NotFoundError extends Error {
  constructor(
    readonly what: "team" | "unit",
    readonly slug: string,
  ) {
    super(`No ${what} with slug "${slug}"`);
  }
}

/** A rule the request broke (unknown team, cycle in the tree, last admin …): shown to the user as is. */
export class AdminError extends Error {
  constructor(
    message: string,
    public readonly field?: string,
  ) {
    super(message);
  }
}

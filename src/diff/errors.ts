/** A problem the user can act on (bad ref, failed build, missing directory): reported without a stack. */
export class DiffError extends Error {}

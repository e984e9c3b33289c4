/** A mistake in how storagectl was called (bad flag value, bad selector, bad URL): exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A failure of the operation that is not the server's (bad input file, missing object name): exit code 1. */
export class CommandError extends Error {
  override readonly name = 'CommandError';
}

/** The operation failed and its errors were already printed (e.g. some objects of several): exit code 1. */
export class ReportedFailure extends Error {
  override readonly name = 'ReportedFailure';
}

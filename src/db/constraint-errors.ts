/**
 * True for a constraint the database refused (unique index, check): two concurrent requests
 * raced past the service's own check, and the database decided.
 */
export function isConstraintViolation(error: unknown): boolean {
  return (
    error instanceof Error && 'code' in error && String(error.code).startsWith('SQLITE_CONSTRAINT')
  );
}

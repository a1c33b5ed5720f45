/**
 * The rows of an `UPDATE ... RETURNING` run through TypeORM's `query()`: on
 * PostgreSQL it answers `[rows, affectedCount]` for UPDATE and DELETE, but
 * plain rows for SELECT and INSERT.
 */
export function returningRows<T>(result: unknown): T[] {
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  )
    return result[0] as T[];
  return result as T[];
}

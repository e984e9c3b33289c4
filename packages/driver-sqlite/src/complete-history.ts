import type { Statements } from './statements.js';

/**
 * The oldest revision from which history is still complete. Compaction's clean-up removes only rows it has
 * examined or rows they supersede, all below its cursor; so every event from this revision on can still be read,
 * even where the floor is already higher (the clean-up runs after the floor is raised).
 */
export function completeFrom(stmts: Statements): number {
  const cursor = stmts.compactCursor.get()!.value;
  return Number((cursor + (1n << 20n) - 1n) >> 20n);
}

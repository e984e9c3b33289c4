/** Something the index can order: by `sortKey`, compared with `<`. */
export interface Sortable {
  readonly sortKey: string;
}

// Chunks keep inserts and removals O(log n + chunk) instead of O(n) on one flat array.
const SPLIT_AT = 1024;

/**
 * An ordered set of items, unique by `sortKey`, held in sorted chunks. Each chunk also keeps how many of its items
 * satisfy `counted`, so range counts cost O(chunks) rather than O(items); the owner calls `recount` whenever an
 * item's `counted` answer changes.
 */
export class SortedIndex<T extends Sortable> {
  readonly #counted: (item: T) => boolean;
  #chunks: T[][] = [];
  #tallies: number[] = [];

  constructor(counted: (item: T) => boolean) {
    this.#counted = counted;
  }

  insert(item: T): void {
    const chunks = this.#chunks;
    const tally = this.#counted(item) ? 1 : 0;
    if (chunks.length === 0) {
      chunks.push([item]);
      this.#tallies.push(tally);
      return;
    }
    const ci = Math.min(this.#chunkFor(item.sortKey), chunks.length - 1);
    const chunk = chunks[ci]!;
    chunk.splice(lowerBound(chunk, item.sortKey), 0, item);
    this.#tallies[ci]! += tally;
    if (chunk.length >= SPLIT_AT) this.#split(ci);
  }

  /** Removes `item` if present; returns whether it was. */
  remove(item: T): boolean {
    const at = this.#find(item);
    if (at === null) return false;
    const [ci, pos] = at;
    const chunk = this.#chunks[ci]!;
    chunk.splice(pos, 1);
    if (this.#counted(item)) this.#tallies[ci]!--;
    if (chunk.length === 0) {
      this.#chunks.splice(ci, 1);
      this.#tallies.splice(ci, 1);
    }
    return true;
  }

  /** Records that `item`'s `counted` answer flipped to `nowCounted`. */
  recount(item: T, nowCounted: boolean): void {
    const at = this.#find(item);
    if (at !== null) this.#tallies[at[0]]! += nowCounted ? 1 : -1;
  }

  /** Calls `visit` on each item with sortKey ≥ `from`, in order, until it returns false. */
  scan(from: string, visit: (item: T) => boolean): void {
    const chunks = this.#chunks;
    let ci = this.#chunkFor(from);
    if (ci >= chunks.length) return;
    let pos = lowerBound(chunks[ci]!, from);
    for (; ci < chunks.length; ci++, pos = 0) {
      const chunk = chunks[ci]!;
      for (; pos < chunk.length; pos++) if (!visit(chunk[pos]!)) return;
    }
  }

  /** How many counted items have sortKey in `[from, to)`; `to` null means no upper bound. */
  countRange(from: string, to: string | null): number {
    if (to !== null && to <= from) return 0;
    const [fromChunk, fromPos] = this.#position(from);
    const [toChunk, toPos] = to === null ? [this.#chunks.length, 0] : this.#position(to);
    if (fromChunk === toChunk) return this.#countWithin(fromChunk, fromPos, toPos);
    let total = this.#countWithin(fromChunk, fromPos, Infinity);
    for (let ci = fromChunk + 1; ci < toChunk; ci++) total += this.#tallies[ci]!;
    if (toChunk < this.#chunks.length) total += this.#countWithin(toChunk, 0, toPos);
    return total;
  }

  #countWithin(ci: number, from: number, to: number): number {
    const chunk = this.#chunks[ci];
    if (chunk === undefined) return 0;
    if (from === 0 && to >= chunk.length) return this.#tallies[ci]!;
    let total = 0;
    const end = Math.min(to, chunk.length);
    for (let i = from; i < end; i++) if (this.#counted(chunk[i]!)) total++;
    return total;
  }

  /** Chunk and offset where `sortKey` is or would be inserted. */
  #position(sortKey: string): [number, number] {
    const ci = this.#chunkFor(sortKey);
    const chunk = this.#chunks[ci];
    return chunk === undefined ? [ci, 0] : [ci, lowerBound(chunk, sortKey)];
  }

  #find(item: T): [number, number] | null {
    const [ci, pos] = this.#position(item.sortKey);
    return this.#chunks[ci]?.[pos] === item ? [ci, pos] : null;
  }

  #split(ci: number): void {
    const chunk = this.#chunks[ci]!;
    const tail = chunk.splice(SPLIT_AT >> 1);
    let tailTally = 0;
    for (const item of tail) if (this.#counted(item)) tailTally++;
    this.#chunks.splice(ci + 1, 0, tail);
    this.#tallies[ci]! -= tailTally;
    this.#tallies.splice(ci + 1, 0, tailTally);
  }

  /** Index of the first chunk whose last item is ≥ `sortKey`; chunks.length when none is. */
  #chunkFor(sortKey: string): number {
    const chunks = this.#chunks;
    let lo = 0;
    let hi = chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const chunk = chunks[mid]!;
      if (chunk[chunk.length - 1]!.sortKey < sortKey) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function lowerBound(items: readonly Sortable[], sortKey: string): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (items[mid]!.sortKey < sortKey) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

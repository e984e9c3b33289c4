const MAX_CODE_POINT = 0x10ffff;

/**
 * The exclusive end of the key range holding every key that starts with `prefix` (etcd's prefix end),
 * computed in code-point order, which is UTF-8 byte order.
 */
export function prefixEnd(prefix: string): string {
  const points = Array.from(prefix, (c) => c.codePointAt(0)!);
  while (points.length > 0) {
    const last = points.pop()!;
    if (last < MAX_CODE_POINT) {
      // Skip the surrogate block: it holds no valid code points.
      const next = last + 1 === 0xd800 ? 0xe000 : last + 1;
      return String.fromCodePoint(...points, next);
    }
  }
  return '';
}

const HAS_SURROGATE = /[\ud800-\udfff]/;

/** Byte-order comparison of two keys as UTF-8, the order every backend lists in. */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  // UTF-16 code-unit order equals code-point order unless a surrogate pair is involved.
  if (!HAS_SURROGATE.test(a) && !HAS_SURROGATE.test(b)) return a < b ? -1 : 1;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Whether `key` lies in `[start, end)`; an empty `end` means no upper bound. */
export function inRange(key: string, start: string, end: string): boolean {
  return compareKeys(key, start) >= 0 && (end === '' || compareKeys(key, end) < 0);
}

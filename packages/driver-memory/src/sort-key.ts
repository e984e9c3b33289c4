/** Whether `key` has a code unit at or above U+D800 (a surrogate or U+E000–U+FFFF); a loop beats a regex here. */
export function hasHighCodeUnit(key: string): boolean {
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) >= 0xd800) return true;
  return false;
}

/**
 * A string whose UTF-16 code-unit order equals the UTF-8 byte order of `key`, so the index compares with `<`.
 * UTF-16 order differs from code-point order only between surrogates and U+E000–U+FFFF: the mapping moves
 * U+E000–U+FFFF down by 0x800 and the surrogates up by 0x2000, an order-preserving swap of the two blocks.
 * Keys without such code units (nearly all) are returned as they are, without allocating.
 */
export function sortKeyOf(key: string): string {
  if (!hasHighCodeUnit(key)) return key;
  const units = new Array<number>(key.length);
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    units[i] = c >= 0xe000 ? c - 0x800 : c >= 0xd800 ? c + 0x2000 : c;
  }
  let out = '';
  for (let i = 0; i < units.length; i += 4096) out += String.fromCharCode(...units.slice(i, i + 4096));
  return out;
}

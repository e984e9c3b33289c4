/** Copy progress with rate and ETA: a redrawn bar on a terminal, a plain line a second otherwise. */
export function progressReporter(alreadyCopied = 0, stream: NodeJS.WriteStream = process.stderr): (copied: number, total: number) => void {
  const started = Date.now();
  let lastLine = 0;
  return (copied, total) => {
    const now = Date.now();
    const done = copied >= total;
    if (!done && now - lastLine < (stream.isTTY ? 100 : 1000)) return;
    lastLine = now;
    const seconds = Math.max((now - started) / 1000, 0.001);
    const rate = (copied - alreadyCopied) / seconds;
    const eta = rate > 0 ? Math.ceil((total - copied) / rate) : undefined;
    const stats = `${copied}/${total} keys, ${Math.round(rate)} keys/s${done || eta === undefined ? '' : `, ETA ${eta}s`}`;
    if (stream.isTTY) {
      const width = 30;
      const filled = total === 0 ? width : Math.round((copied / total) * width);
      stream.write(`\r\u001b[K[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${stats}${done ? '\n' : ''}`);
    } else {
      stream.write(`copied ${stats}\n`);
    }
  };
}

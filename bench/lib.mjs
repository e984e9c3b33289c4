// Small benchmark helpers: warm up, then take the median throughput of several timed rounds.
import { performance } from 'node:perf_hooks';

export async function measure(name, opsPerRound, fn, { rounds = 7, warmup = 2 } = {}) {
  const results = [];
  for (let r = 0; r < warmup + rounds; r++) {
    globalThis.gc?.();
    const start = performance.now();
    await fn(r);
    const ms = performance.now() - start;
    if (r >= warmup) results.push((opsPerRound / ms) * 1000);
  }
  results.sort((a, b) => a - b);
  return { name, opsPerSec: results[Math.floor(results.length / 2)] };
}

export function ratioLine(label, subject, baseline, target) {
  const ratio = subject.opsPerSec / baseline.opsPerSec;
  const verdict = target === undefined ? '' : ratio >= target ? `  ✓ target ≥ ${(target * 100).toFixed(0)}%` : `  ✗ target ≥ ${(target * 100).toFixed(0)}%`;
  return `${label.padEnd(34)} ${fmt(subject.opsPerSec)} vs ${fmt(baseline.opsPerSec)} ops/s = ${(ratio * 100).toFixed(1)}%${verdict}`;
}

const fmt = (n) => Math.round(n).toLocaleString('en-US').padStart(11);

export function pod(ns, name, i) {
  return {
    metadata: { name, namespace: ns, uid: `uid-${i}`, labels: { app: 'bench', shard: String(i % 10) } },
    spec: { nodeName: `node-${i % 50}`, containers: [{ name: 'c', image: 'registry.example/app:1.0', args: ['--port', '8080'] }] },
  };
}

/**
 * Measures a baseline and a subject in alternating rounds (ABAB…) after a shared warm-up, so drift in the
 * machine or the server (JIT, caches, compaction, other load) hits both sides alike. Returns median throughputs.
 */
export async function measurePair(opsPerRound, baselineFn, subjectFn, { rounds = 11, warmup = 3 } = {}) {
  const base = [];
  const subj = [];
  for (let r = 0; r < warmup + rounds; r++) {
    for (const [fn, out] of [[baselineFn, base], [subjectFn, subj]]) {
      globalThis.gc?.();
      const start = performance.now();
      await fn(r);
      const ms = performance.now() - start;
      if (r >= warmup) out.push((opsPerRound / ms) * 1000);
    }
  }
  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return [{ name: 'baseline', opsPerSec: median(base) }, { name: 'subject', opsPerSec: median(subj) }];
}

// Runs the benchmarks: `node --expose-gc bench/run.mjs [memory]`.
import { benchMemory } from './memory.mjs';

const which = new Set(process.argv.slice(2));
const all = which.size === 0;
const log = (line) => console.log(line);
if (all || which.has('memory')) await benchMemory(log);

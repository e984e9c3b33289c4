// Sums the per-package vitest JSON reports into one closing line: "N passed, N failed, N skipped".
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
for (const dir of readdirSync('packages')) {
  const pkg = join('packages', dir);
  if (!existsSync(join(pkg, 'package.json')) || !existsSync(join(pkg, 'test'))) continue;
  const file = join(pkg, '.vitest-results.json');
  if (!existsSync(file)) {
    missing.push(dir);
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + (report.numTodoTests ?? 0);
  if (report.numFailedTestSuites > 0 && report.numFailedTests === 0) failed += report.numFailedTestSuites;
}
if (missing.length) console.log(`no test report from: ${missing.join(', ')}`);
console.log(`${passed} passed, ${failed + missing.length} failed, ${skipped} skipped`);
process.exit(failed + missing.length > 0 || passed === 0 ? 1 : 0);

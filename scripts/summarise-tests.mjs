#!/usr/bin/env node
/**
 * Reads test-results/vitest.json and test-results/playwright.json and prints, alone on the
 * last line, `N passed, N failed` (`, N skipped` when some were), summed over both runners.
 * A missing or unreadable report means that runner crashed: it counts as one failure.
 * `--failed-step NAME` (repeatable) adds one failure for a step of scripts/test.sh that failed
 * outside the runners (typecheck, build). Exits 1 when anything failed.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = path.join(ROOT, 'test-results');

function readJson(file) {
  try {
    return JSON.parse(readFileSync(path.join(RESULTS, file), 'utf8'));
  } catch {
    return undefined;
  }
}

/** Vitest's JSON (Jest's shape). A file that failed to load has no failed test but a failed suite. */
function vitestCounts(report) {
  const crashedFiles = (report.testResults ?? []).filter(
    (file) => file.status === 'failed' && !(file.assertionResults ?? []).some((t) => t.status === 'failed'),
  );
  for (const file of crashedFiles) {
    const message = String(file.message ?? '').split('\n')[0];
    notes.push(`vitest: ${path.relative(ROOT, file.name ?? '?')} failed outside its tests${message ? `: ${message}` : ''}`);
  }
  return {
    passed: report.numPassedTests ?? 0,
    failed: (report.numFailedTests ?? 0) + crashedFiles.length,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
  };
}

/** Playwright's JSON. Top-level errors (web server did not start, global setup threw) count as failures. */
function playwrightCounts(report) {
  const stats = report.stats ?? {};
  const errors = report.errors ?? [];
  for (const error of errors) {
    notes.push(`playwright: ${String(error.message ?? error.value ?? 'error').split('\n')[0]}`);
  }
  return {
    passed: (stats.expected ?? 0) + (stats.flaky ?? 0),
    failed: (stats.unexpected ?? 0) + errors.length,
    skipped: stats.skipped ?? 0,
  };
}

const notes = [];
const total = { passed: 0, failed: 0, skipped: 0 };
const add = (counts) => {
  total.passed += counts.passed;
  total.failed += counts.failed;
  total.skipped += counts.skipped;
};

for (const [name, file, count] of [
  ['vitest', 'vitest.json', vitestCounts],
  ['playwright', 'playwright.json', playwrightCounts],
]) {
  const report = readJson(file);
  if (report === undefined) {
    notes.push(`${name}: no readable test-results/${file} (the runner crashed or did not run): counted as 1 failed`);
    add({ passed: 0, failed: 1, skipped: 0 });
  } else {
    const counts = count(report);
    notes.push(`${name}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
    add(counts);
  }
}

const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--failed-step' && args[i + 1]) {
    notes.push(`step failed: ${args[++i]}: counted as 1 failed`);
    add({ passed: 0, failed: 1, skipped: 0 });
  }
}

console.log('');
for (const note of notes) console.log(`- ${note}`);
let line = `${total.passed} passed, ${total.failed} failed`;
if (total.skipped > 0) line += `, ${total.skipped} skipped`;
console.log(line);
process.exitCode = total.failed > 0 ? 1 : 0;

// A small mutation check over the core rules that decide money, retries, polling, escaping and metadata: each
// mutant is a one-line change of production code; it is applied, the unit tier runs (`--bail`), the file is
// restored. A mutant the unit tier does not notice ("survived") is a rule no test holds.
//
//   node scripts/mutation-check.mjs            every mutant
//   node scripts/mutation-check.mjs M07 M08    only these
//
// It rewrites files under src/core while it runs (and restores them, also on Ctrl+C): do not edit src/ meanwhile.
// A mutant whose line is no longer in the code (the code moved on) is reported as "not applicable".
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

/** [id, area, file, the exact text, its replacement, what the change means] */
const MUTANTS = [
  [
    'M01',
    'money',
    'src/core/spendLedger.ts',
    'const KEEP_MS = 2 * 24 * 60 * 60 * 1000;',
    'const KEEP_MS = 12 * 60 * 60 * 1000;',
    'the ledger keeps 12 hours instead of two days',
  ],
  [
    'M02',
    'money',
    'src/core/budget.ts',
    'if (spent >= dailyLimit ||',
    'if (spent > dailyLimit ||',
    'an unknown cost is let through when the limit is reached exactly',
  ],
  [
    'M03',
    'money',
    'src/core/budget.ts',
    'return [...kept, previous ? { ...entry, time: previous.time } : entry];',
    'return [...kept, entry];',
    'a finished job counts at its finish time, not its submit time',
  ],
  [
    'M04',
    'money',
    'src/core/cost.ts',
    "withBalance('estimated', roundCredits(Math.max(...sameModel)))",
    "withBalance('estimated', roundCredits(Math.min(...sameModel)))",
    'an estimate from other options takes the cheapest, not the dearest',
  ],
  [
    'M05',
    'money',
    'src/core/cost.ts',
    '(!book.balance || book.balance.at <= at)',
    '(true)',
    'an older report overwrites a newer balance',
  ],
  [
    'M06',
    'money',
    'src/core/client.ts',
    'retryable: description.neverSent, mayHaveBeenBilled: !description.neverSent',
    'retryable: description.neverSent, mayHaveBeenBilled: false',
    'a connection broken after sending is not marked as maybe billed',
  ],
  [
    'M07',
    'polling',
    'src/core/asyncJob.ts',
    'if (httpStatus === 404 || httpStatus === 410) return',
    'if (httpStatus === 404) return',
    'a 410 on a job read is "unavailable" (polled for the hour), not gone',
  ],
  [
    'M08',
    'retries',
    'src/core/client.ts',
    'waitMs = Math.max(250, untilReset + 250);',
    'waitMs = Math.max(250, untilReset);',
    'a 429 retry waits until the reset, without the margin',
  ],
  [
    'M09',
    'retries',
    'src/core/client.ts',
    'failure.resetAt.getTime() - Date.now() : 5_000;',
    'failure.resetAt.getTime() - Date.now() : 0;',
    'a 429 without a reset header is retried at once',
  ],
  [
    'M10',
    'retries',
    'src/core/client.ts',
    "failure.kind === 'rate-limited' && rateLimitRetries < 1",
    "failure.kind === 'rate-limited' && rateLimitRetries < 2",
    'a 429 is retried twice',
  ],
  [
    'M11',
    'retries',
    'src/core/client.ts',
    '!failure.mayHaveBeenBilled && gatewayRetries < 2',
    '!failure.mayHaveBeenBilled && gatewayRetries < 3',
    'a gateway failure is retried three times',
  ],
  [
    'M12',
    'retries',
    'src/core/client.ts',
    "failure.kind !== 'rate-limited' && !failure.mayHaveBeenBilled && gatewayRetries",
    "failure.kind !== 'rate-limited' && gatewayRetries",
    'a retryable failure that may have been billed is sent again',
  ],
  [
    'M13',
    'polling',
    'src/core/asyncJob.ts',
    'const early = Math.min(1_500, expected / 2);',
    'const early = expected / 2;',
    'the first status read comes half way, not early',
  ],
  [
    'M14',
    'polling',
    'src/core/asyncJob.ts',
    'const LATE_POLL_GAP_MS = 2_500;',
    'const LATE_POLL_GAP_MS = 5_000;',
    'a job later than 2.5 times the expected time is read every 5 s, not 2.5 s',
  ],
  [
    'M15',
    'polling',
    'src/core/asyncJob.ts',
    '&& ms < JOB_RECORD_TTL_MS).slice(-20);',
    '&& ms < JOB_RECORD_TTL_MS).slice(0, 20);',
    'the expected time learns from the oldest 20 jobs, not the newest',
  ],
  [
    'M16',
    'polling',
    'src/core/asyncJob.ts',
    "if (status === 'QUEUED' || status === 'PENDING' || status === 'IN_QUEUE')",
    "if (status === 'QUEUED' || status === 'IN_QUEUE')",
    'PENDING is read as processing',
  ],
  [
    'M17',
    'escaping',
    'src/core/linkFormats.ts',
    "let value = text.replace(/\\{/g, '&#123;');",
    'let value = text;',
    'AsciiDoc alt text does not escape `{`',
  ],
  [
    'M18',
    'escaping',
    'src/core/linkFormats.ts',
    'return path.replace(/[\\\\\\s]/g, (character) => `\\\\${character}`);',
    'return path.replace(/[\\s]/g, (character) => `\\\\${character}`);',
    'reST paths do not escape `\\`',
  ],
  [
    'M19',
    'escaping',
    'src/core/linkFormats.ts',
    "markdown: markdownFormat('markdown', (text) => text.replace(/[\\\\[\\]]/g,",
    "markdown: markdownFormat('markdown', (text) => text.replace(/[[\\]]/g,",
    'Markdown alt text does not escape `\\`',
  ],
  [
    'M20',
    'escaping',
    'src/core/linkFormats.ts',
    'return path.replace(/[#%{}\\\\~^$&]/g, (character) => `\\\\string${character}`);',
    'return path.replace(/[#{}\\\\~^$&]/g, (character) => `\\\\string${character}`);',
    'a LaTeX path does not escape `%` (the rest of the line becomes a comment)',
  ],
  [
    'M21',
    'escaping',
    'src/core/linkText.ts',
    ".replace(/[()'!*]/g,",
    ".replace(/['!*]/g,",
    'a Markdown destination keeps parentheses unencoded',
  ],
  [
    'M22',
    'metadata',
    'src/core/recipeMetadata.ts',
    'return /[,"\\n\\r]/.test(value) || value !== value.trim()',
    'return /[,"]/.test(value) || value !== value.trim()',
    'a parameters value with a line break is not quoted',
  ],
  [
    'M23',
    'metadata',
    'src/core/recipeMetadata.ts',
    '  if (xmp.length > MAX_RECIPE_TEXT_LENGTH) return undefined;\n  const open',
    '  const open',
    'the XMP reader has no 1 MiB cap',
  ],
  [
    'M24',
    'metadata',
    'src/core/naming.ts',
    'if (next.length > maxLength) {',
    'if (next.length >= maxLength) {',
    'the slug stops one character short of its cap',
  ],
  [
    'M25',
    'metadata',
    'src/core/recipeMetadata.ts',
    "if (request.negative_prompt !== undefined && request.negative_prompt !== '') lines.push",
    'if (request.negative_prompt !== undefined) lines.push',
    'an empty negative prompt writes a `Negative prompt:` line',
  ],
];

const only = process.argv.slice(2);
const selected = MUTANTS.filter(([id]) => only.length === 0 || only.includes(id));
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

let restore;
process.on('SIGINT', () => {
  restore?.();
  process.exit(130);
});

function unitTierPasses() {
  try {
    execFileSync(bin('tsc'), ['-p', 'tsconfig.test.json'], { cwd: root, stdio: 'pipe' });
  } catch (error) {
    return { passes: false, how: `does not compile: ${String(error.stdout).split('\n')[0]}` };
  }
  try {
    execFileSync(bin('mocha'), ['--config', '.mocharc.json', '--bail', '--reporter', 'dot'], {
      cwd: root,
      stdio: 'pipe',
      timeout: 600_000,
    });
    return { passes: true };
  } catch (error) {
    const output = String(error.stdout);
    // The first failure: its suite and test titles and the first line of its message.
    const lines = output.split('\n');
    const first = lines.findIndex((line) => /^\s+1\) /.test(line));
    const block = first < 0 ? lines.filter(Boolean).slice(-3) : lines.slice(first, first + 12);
    const end = block.findIndex((line, index) => index > 0 && /Error|assert/i.test(line));
    const failing = (end < 0 ? block.slice(0, 4) : block.slice(0, end + 1))
      .map((line) => line.trim())
      .filter(Boolean)
      .join(' › ');
    return { passes: false, how: failing.slice(0, 400) };
  }
}

const results = [];
for (const [id, area, file, from, to, meaning] of selected) {
  const full = path.join(root, file);
  const original = readFileSync(full, 'utf8');
  const count = original.split(from).length - 1;
  if (count !== 1) {
    results.push({ id, area, meaning, outcome: 'not applicable', how: `${count} matches in ${file}` });
    console.log(`${id} ${area.padEnd(8)} not applicable (${count} matches): ${meaning}`);
    continue;
  }
  restore = () => writeFileSync(full, original);
  writeFileSync(
    full,
    original.replace(from, () => to),
  ); // a function: `$&` in a mutant is text, not a pattern
  let outcome;
  try {
    outcome = unitTierPasses();
  } finally {
    restore();
    restore = undefined;
  }
  const verdict = outcome.passes ? 'SURVIVED' : 'killed';
  results.push({ id, area, meaning, outcome: verdict, how: outcome.how });
  console.log(
    `${id} ${area.padEnd(8)} ${verdict.padEnd(8)} ${meaning}${outcome.how ? `\n      by: ${outcome.how}` : ''}`,
  );
}
// Leave out/ compiled from the unchanged sources.
execFileSync(bin('tsc'), ['-p', 'tsconfig.test.json'], { cwd: root, stdio: 'pipe' });
const applicable = results.filter((result) => result.outcome !== 'not applicable');
const killed = applicable.filter((result) => result.outcome === 'killed').length;
console.log(
  `\nkilled ${killed} of ${applicable.length}${applicable.length < results.length ? ` (${results.length - applicable.length} not applicable)` : ''}`,
);
process.exitCode = killed === applicable.length ? 0 : 1;

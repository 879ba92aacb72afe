import type { Reporter, RunnerTestFile, RunnerTask } from 'vitest/node';

/** Prints one plain closing line, `N passed, N failed, N skipped`, after vitest's own summary. */
export default class SummaryReporter implements Reporter {
  onFinished(files: RunnerTestFile[] = [], errors: unknown[] = []): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const visit = (t: RunnerTask): void => {
      if (t.type === 'suite') {
        if (t.result?.state === 'fail' && t.tasks.length === 0) failed++;
        for (const c of t.tasks) visit(c);
        return;
      }
      const s = t.result?.state;
      if (s === 'pass') passed++;
      else if (s === 'fail') failed++;
      else skipped++;
    };
    for (const f of files) {
      if (f.result?.state === 'fail' && f.tasks.length === 0) failed++;
      for (const t of f.tasks) visit(t);
    }
    failed += errors.length;
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}

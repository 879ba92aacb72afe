/**
 * Writes an HTML model report to a file (Node only).
 *
 * @module
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DataError, describeValue } from '../core/errors';

/**
 * Writes the HTML string of `modelReport` to `path` (UTF-8), creating missing parent
 * directories. The file is self-contained: open it in any browser, offline.
 *
 * @param path - Destination file, e.g. `'out/report.html'`.
 * @param html - A complete HTML document string (starting with `<!DOCTYPE html>`).
 * @returns Resolves when the file is written.
 * @throws {DataError} when `html` is not a complete HTML document or `path` is empty.
 * @example
 * ```ts
 * import { modelReport } from 'finml';
 * import { writeReport } from 'finml/node';
 * await writeReport('out/report.html', modelReport({ title: 'Credit model', metrics: { auc: 0.79 } }));
 * ```
 * @category Node
 */
export async function writeReport(path: string, html: string): Promise<void> {
  const fn = 'writeReport';
  if (typeof path !== 'string' || path.length === 0) throw new DataError({ fn, arg: 'path', expected: 'a non-empty file path', got: describeValue(path) });
  if (typeof html !== 'string' || !/^<!DOCTYPE html>/i.test(html.trimStart()) || !html.trimEnd().endsWith('</html>')) {
    throw new DataError({ fn, arg: 'html', expected: "a complete HTML document ('<!DOCTYPE html>...</html>', e.g. from modelReport)", got: describeValue(html) });
  }
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, html, 'utf8');
}

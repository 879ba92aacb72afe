/**
 * Writes an SVG plot to a file (Node only).
 *
 * @module
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DataError, describeValue } from '../core/errors';

/**
 * Writes an SVG string (from `trainingCurvePlot`, `rocCurvePlot`, ...) to `path` as UTF-8,
 * with an XML declaration so that viewers read it as a standalone SVG file. Missing parent
 * directories are created.
 *
 * @param path - Destination file, e.g. `'out/roc.svg'`.
 * @param svg - A standalone `<svg>...</svg>` string.
 * @returns Resolves when the file is written.
 * @throws {DataError} when `svg` is not an SVG document string or `path` is empty.
 * @example
 * ```ts
 * import { rocCurvePlot } from 'finml';
 * import { writeSvg } from 'finml/node';
 * await writeSvg('out/roc.svg', rocCurvePlot({ fpr: [0, 0.2, 1], tpr: [0, 0.7, 1] }));
 * ```
 * @category Node
 */
export async function writeSvg(path: string, svg: string): Promise<void> {
  const fn = 'writeSvg';
  if (typeof path !== 'string' || path.length === 0) throw new DataError({ fn, arg: 'path', expected: 'a non-empty file path', got: describeValue(path) });
  if (typeof svg !== 'string' || !/^<svg[\s>]/.test(svg.trim()) || !svg.trim().endsWith('</svg>')) {
    throw new DataError({ fn, arg: 'svg', expected: "an SVG document string '<svg ...>...</svg>'", got: describeValue(svg) });
  }
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `<?xml version="1.0" encoding="UTF-8"?>\n${svg.trim()}\n`, 'utf8');
}

/**
 * Private validation of feature-importance entries for src/report/.
 *
 * @module
 * @internal
 */
import { DataError, describeValue } from '../core/errors';
import type { FeatureImportanceEntry } from '../report/featureImportancePlot';

/** Validates feature-importance entries (used by featureImportancePlot and modelReport). */
export function checkImportance(v: unknown, fn: string, arg: string): readonly FeatureImportanceEntry[] {
  if (!Array.isArray(v) || v.length === 0) throw new DataError({ fn, arg, expected: 'a non-empty array of { feature, importance, std? }', got: describeValue(v) });
  v.forEach((e: unknown, i) => {
    const r = e as Partial<FeatureImportanceEntry> | null;
    if (typeof r !== 'object' || r === null || typeof r.feature !== 'string' || typeof r.importance !== 'number' || !Number.isFinite(r.importance)) {
      throw new DataError({ fn, arg: `${arg}[${i}]`, expected: '{ feature: string, importance: finite number, std?: number >= 0 }', got: describeValue(e) });
    }
    if (r.std !== undefined && (typeof r.std !== 'number' || !(r.std >= 0) || !Number.isFinite(r.std))) {
      throw new DataError({ fn, arg: `${arg}[${i}].std`, expected: 'a finite number >= 0', got: describeValue(r.std) });
    }
  });
  return v as FeatureImportanceEntry[];
}


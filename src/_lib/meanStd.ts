/** Mean and population standard deviation (ddof = 0) of a non-empty list. */
export function meanStd(xs: readonly number[]): { mean: number; std: number } {
  let m = 0;
  for (const x of xs) m += x;
  m /= xs.length;
  let v = 0;
  for (const x of xs) v += (x - m) * (x - m);
  return { mean: m, std: Math.sqrt(v / xs.length) };
}

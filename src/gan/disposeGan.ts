/**
 * Releasing a GAN's tensors.
 *
 * @module
 */
import type { Gan } from './buildGan';
import { disposeModel } from '../models/disposeModel';

/**
 * Disposes the generator and the discriminator of a GAN. Safe to call twice.
 *
 * @param gan - A GAN from {@link buildGan}.
 * @example
 * ```ts
 * import { buildGan, disposeGan } from 'finml';
 * const gan = buildGan({ kind: 'tabular', features: 3 });
 * disposeGan(gan);
 * ```
 * @category Models
 */
export function disposeGan(gan: Gan): void {
  disposeModel(gan.generator);
  disposeModel(gan.discriminator);
}

import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../src/core/errors';
import { GAN_DEFAULTS, resolveGanSpec, type GanSpec } from '../../src/gan/buildGan';

function errorOf(f: () => unknown): InvalidOptionError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidOptionError);
    return e as InvalidOptionError;
  }
  return expect.fail('expected InvalidOptionError, nothing was thrown');
}

describe('resolveGanSpec', () => {
  it('fills every default for a minimal tabular spec, frozen at every level', () => {
    const r = resolveGanSpec({ kind: 'tabular', features: 3 });
    expect(r).toEqual({ ...GAN_DEFAULTS, features: 3, seqLength: 1 });
    expect(Object.isFrozen(r)).toBe(true);
    expect(Object.isFrozen(r.generator)).toBe(true);
    expect(Object.isFrozen(r.generator.hidden)).toBe(true);
    expect(Object.isFrozen(r.discriminator.hidden)).toBe(true);
  });

  it('keeps given values, merges nested options over their defaults, and forces seqLength 1 for tabular rows', () => {
    const r = resolveGanSpec({
      kind: 'sequence',
      features: 2,
      seqLength: 10,
      latentDim: 4,
      latentDf: 5,
      generator: { type: 'rnn', hidden: [6] },
      discriminator: { type: 'cnn', dropout: 0.25 },
      seed: 9,
    });
    expect(r).toMatchObject({ kind: 'sequence', features: 2, seqLength: 10, latentDim: 4, latentDf: 5, seed: 9 });
    expect(r.generator).toEqual({ type: 'rnn', hidden: [6], activation: GAN_DEFAULTS.generator.activation });
    expect(r.discriminator).toEqual({ ...GAN_DEFAULTS.discriminator, type: 'cnn', dropout: 0.25 });
    expect(resolveGanSpec({ kind: 'tabular', features: 2, seqLength: 7 }).seqLength).toBe(1);
  });

  it('does not mutate or keep references to its input', () => {
    const hidden = [5, 3];
    const spec: GanSpec = { kind: 'tabular', features: 2, generator: { hidden } };
    const before = JSON.stringify(spec);
    const r = resolveGanSpec(spec);
    expect(JSON.stringify(spec)).toBe(before);
    expect(Object.isFrozen(hidden)).toBe(false);
    hidden.push(1);
    expect(r.generator.hidden).toEqual([5, 3]);
  });

  it.each<[string, GanSpec, string]>([
    ['unknown kind', { kind: 'image' as 'tabular', features: 2 }, 'kind'],
    ['features 0', { kind: 'tabular', features: 0 }, 'features'],
    ['missing features for tabular', { kind: 'tabular' }, 'features'],
    ['missing seqLength for sequence', { kind: 'sequence', features: 2 }, 'seqLength'],
    ['latentDim 1.5', { kind: 'tabular', features: 2, latentDim: 1.5 }, 'latentDim'],
    ['latentDf 2 (infinite variance)', { kind: 'tabular', features: 2, latentDf: 2 }, 'latentDf'],
    ['unsafe seed', { kind: 'tabular', features: 2, seed: 2 ** 60 }, 'seed'],
    ['unknown option', { kind: 'tabular', features: 2, epochs: 3 } as GanSpec, 'epochs'],
    ['generator hidden 0', { kind: 'tabular', features: 2, generator: { hidden: [0] } }, 'hidden'],
    ['unknown discriminator activation', { kind: 'tabular', features: 2, discriminator: { activation: 'gelu' as 'relu' } }, 'activation'],
    ['discriminator dropout 1', { kind: 'tabular', features: 2, discriminator: { dropout: 1 } }, 'dropout'],
    ['cnn discriminator for tabular rows', { kind: 'tabular', features: 2, discriminator: { type: 'cnn' } }, 'discriminator.type'],
    ['rnn generator for tabular rows', { kind: 'tabular', features: 2, generator: { type: 'rnn' } }, 'generator.type'],
    ['rnn generator without hidden layers', { kind: 'sequence', features: 2, seqLength: 4, generator: { type: 'rnn', hidden: [] } }, 'generator.hidden'],
    ['cnn discriminator without hidden layers', { kind: 'sequence', features: 2, seqLength: 4, discriminator: { type: 'cnn', hidden: [] } }, 'discriminator.hidden'],
  ])('%s -> InvalidOptionError naming the option', (_label, spec, arg) => {
    const e = errorOf(() => resolveGanSpec(spec));
    expect(e.details.arg).toBe(arg);
    expect(e.message).toContain(`'${arg}'`);
  });

  it('names the caller given as fn (nested options get a qualified name)', () => {
    expect(errorOf(() => resolveGanSpec({ kind: 'tabular', features: -1 }, 'tabularGan')).message).toContain('of tabularGan');
    expect(errorOf(() => resolveGanSpec({ kind: 'tabular', features: 2, generator: { hidden: [-1] } }, 'trainGan')).details.fn).toBe('trainGan (generator)');
    expect(errorOf(() => resolveGanSpec({ kind: 'tabular', features: 0 })).details.fn).toBe('buildGan');
  });
});

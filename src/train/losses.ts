/**
 * Per-sample losses and metric sums used by the trainer (tensor ops, called inside tidy scopes).
 * @internal
 */
import * as tf from '@tensorflow/tfjs-core';

/**
 * Loss names understood by the trainer (see {@link TrainLoss}).
 *
 * @category Training
 */
export type LossName = 'binaryCrossentropy' | 'categoricalCrossentropy' | 'meanSquaredError' | 'meanAbsoluteError' | 'huber';

/**
 * Metric names the trainer can track per epoch (see {@link TrainMetric}).
 *
 * @category Training
 */
export type MetricName = 'accuracy' | 'mae' | 'mse';

const EPS = 1e-7;

/** Per-sample loss, shape [batch], for targets/predictions of shape [batch, k]. @internal */
export function perSampleLoss(loss: LossName, y: tf.Tensor, p: tf.Tensor): tf.Tensor1D {
  switch (loss) {
    case 'binaryCrossentropy': {
      const c = tf.clipByValue(p, EPS, 1 - EPS);
      return tf.neg(tf.mean(tf.add(tf.mul(y, tf.log(c)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, c)))), -1)) as tf.Tensor1D;
    }
    case 'categoricalCrossentropy': {
      const n = tf.div(p, tf.sum(p, -1, true));
      const c = tf.clipByValue(n, EPS, 1 - EPS);
      return tf.neg(tf.sum(tf.mul(y, tf.log(c)), -1)) as tf.Tensor1D;
    }
    case 'meanSquaredError':
      return tf.mean(tf.square(tf.sub(y, p)), -1) as tf.Tensor1D;
    case 'meanAbsoluteError':
      return tf.mean(tf.abs(tf.sub(y, p)), -1) as tf.Tensor1D;
    case 'huber': {
      const a = tf.abs(tf.sub(y, p));
      const q = tf.minimum(a, 1);
      return tf.mean(tf.add(tf.mul(0.5, tf.square(q)), tf.sub(a, q)), -1) as tf.Tensor1D;
    }
  }
}

/** Sum over the batch of a metric (accuracy: correct rows; mae/mse: element errors). @internal */
export function metricSum(metric: MetricName, y: tf.Tensor, p: tf.Tensor): tf.Scalar {
  switch (metric) {
    case 'accuracy': {
      const k = p.shape[p.shape.length - 1] as number;
      if (k === 1) return tf.sum(tf.cast(tf.equal(tf.greater(p, 0.5), tf.greater(y, 0.5)), 'float32'));
      return tf.sum(tf.cast(tf.equal(tf.argMax(p, -1), tf.argMax(y, -1)), 'float32'));
    }
    case 'mae':
      return tf.sum(tf.abs(tf.sub(y, p)));
    case 'mse':
      return tf.sum(tf.square(tf.sub(y, p)));
  }
}

/** The denominator of a metric sum for a batch of `rows` rows with `k` outputs. @internal */
export function metricCount(metric: MetricName, rows: number, k: number): number {
  return metric === 'accuracy' ? rows : rows * k;
}

/**
 * Serializable network specifications. Every builder in src/models/ takes one of these (plus the
 * input shape and output head) and returns a fresh `tf.LayersModel`; the spec is what bundles and
 * hyperparameter search store and rebuild from.
 *
 * @module
 */

/**
 * Regularization shared by all layer-based specs.
 *
 * @category Models
 */
export interface RegularizationOptions {
  /** L1 penalty on kernels (default 0). */
  readonly l1?: number;
  /** L2 penalty on kernels (default 0). */
  readonly l2?: number;
  /** Dropout rate after each hidden block, in [0, 1) (default 0). */
  readonly dropout?: number;
}

/**
 * What the network predicts; fixes the output layer and the default loss.
 *
 * @category Models
 */
export type TaskKind = 'binary' | 'multiclass' | 'regression';

/**
 * Output head of a network.
 *
 * @category Models
 */
export interface OutputHead {
  readonly task: TaskKind;
  /** Number of output units: 1 for binary/regression (or the horizon), K for multiclass. */
  readonly units: number;
}

/**
 * Linear model (single dense layer, identity link): regression.
 *
 * @category Models
 */
export interface LinearSpec extends RegularizationOptions {
  readonly type: 'linear';
}

/**
 * Logistic regression (single dense layer, sigmoid/softmax).
 *
 * @category Models
 */
export interface LogisticSpec extends RegularizationOptions {
  readonly type: 'logistic';
}

/**
 * Hidden-layer activations accepted by the builders.
 *
 * @category Models
 */
export type HiddenActivation = 'relu' | 'elu' | 'selu' | 'tanh' | 'sigmoid' | 'linear';

/**
 * Feed-forward network.
 *
 * @category Models
 */
export interface FnnSpec extends RegularizationOptions {
  readonly type: 'fnn';
  /** Hidden layer sizes, e.g. [64, 32]. */
  readonly hidden?: readonly number[];
  readonly activation?: HiddenActivation;
  /** Batch normalization after each hidden dense layer (default false). */
  readonly batchNorm?: boolean;
}

/**
 * 1-D convolutional network over windows [lookback, features].
 *
 * @category Models
 */
export interface CnnSpec extends RegularizationOptions {
  readonly type: 'cnn';
  /** Filters of each conv block, e.g. [16, 32]. */
  readonly filters?: readonly number[];
  readonly kernelSize?: number;
  /** Max-pool size after each conv block (1 = none). */
  readonly poolSize?: number;
  /** Dense layers after flattening. */
  readonly dense?: readonly number[];
  readonly activation?: 'relu' | 'elu' | 'tanh';
  /**
   * Padding of each convolution: `'valid'` (no padding), `'same'` (output as long as the input)
   * or `'causal'` (left padding only: output step t sees inputs up to t). Default `'valid'`.
   */
  readonly padding?: 'valid' | 'same' | 'causal';
  /** Dilation rate of each convolution (default 1). */
  readonly dilation?: number;
  /**
   * Stride of each convolution (integer >= 1, default 1): output lengths `ceil((steps - (kernelSize - 1)·dilation) / strides)`
   * for `'valid'` and `ceil(steps / strides)` for `'same'` and `'causal'`, as in tfjs/Keras.
   */
  readonly strides?: number;
}

/**
 * Recurrent network over windows [lookback, features].
 *
 * @category Models
 */
export interface RnnSpec extends RegularizationOptions {
  readonly type: 'rnn';
  readonly cell?: 'simple' | 'lstm' | 'gru';
  /** Units of each stacked recurrent layer, e.g. [32, 16]. */
  readonly units?: readonly number[];
  /** Dropout on the recurrent state (default 0). */
  readonly recurrentDropout?: number;
  /** Dense layers after the last recurrent layer. */
  readonly dense?: readonly number[];
}

/**
 * Any network spec.
 *
 * @category Models
 */
export type ModelSpec = LinearSpec | LogisticSpec | FnnSpec | CnnSpec | RnnSpec;

/**
 * What every builder needs besides the spec.
 *
 * @category Models
 */
export interface BuildOptions {
  /**
   * Shape of one example, without the batch dimension: `[features]` for linear/logistic/fnn
   * (higher ranks are flattened), `[lookback, features]` for cnn/rnn.
   */
  readonly inputShape: readonly number[];
  /** The output head (task and number of output units). */
  readonly head: OutputHead;
  /** Seed of every initializer and dropout mask (default 0). Same seed, same initial weights. */
  readonly seed?: number;
}

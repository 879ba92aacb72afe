/**
 * Training progress for the `finml` command, written to stderr so stdout stays clean for data.
 * On a TTY it redraws one line (`\r`); otherwise (pipes, CI logs) it prints one plain line per step.
 *
 * @module
 */

/** Where progress goes: stderr in the CLI; tests pass a fake stream. @category CLI */
export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(s: string): unknown;
  /** Node streams: `write` returned false, wait for `'drain'` before writing more (bounded memory on slow pipes). */
  once?(event: 'drain', listener: () => void): unknown;
}

/** A running progress indicator. @category CLI */
export interface ProgressBar {
  /** Reports that `done` of `total` steps are finished, with a short status text. */
  update(done: number, status?: string): void;
  /** Ends the bar: finishes the line on a TTY. */
  finish(status?: string): void;
}

/**
 * Creates a progress bar of `total` steps.
 *
 * @param total - Number of steps (e.g. epochs), at least 1.
 * @param label - Text before the bar, e.g. `'training'`.
 * @param stream - Output stream (default `process.stderr`).
 * @returns The progress bar.
 * @example
 * ```ts
 * const bar = createProgressBar(30, 'training', process.stderr);
 * bar.update(1, 'loss 0.6931'); // TTY: "\rtraining [#-----...] 1/30 loss 0.6931"; pipe: "training 1/30 loss 0.6931\n"
 * bar.finish();
 * ```
 * @category CLI
 */
export function createProgressBar(total: number, label: string, stream: ProgressStream = process.stderr): ProgressBar {
  const tty = stream.isTTY === true;
  const steps = Math.max(1, total);
  let last = '';
  let lastDone = 0;
  let lastStatus = '';
  const render = (done: number, status: string): string => {
    const frac = Math.min(1, Math.max(0, done / steps));
    const width = Math.max(10, Math.min(30, (stream.columns ?? 80) - label.length - status.length - 20));
    const full = Math.round(frac * width);
    return `${label} [${'#'.repeat(full)}${'-'.repeat(width - full)}] ${done}/${steps}${status === '' ? '' : ` ${status}`}`;
  };
  return {
    update(done: number, status = ''): void {
      const line = render(done, status);
      if (tty) {
        const pad = last.length > line.length ? ' '.repeat(last.length - line.length) : '';
        stream.write(`\r${line}${pad}`);
      } else {
        stream.write(`${label} ${done}/${steps}${status === '' ? '' : ` ${status}`}\n`);
      }
      last = line;
      lastDone = done;
      lastStatus = status;
    },
    finish(status = ''): void {
      if (tty && status === '') stream.write('\n');
      else if (tty) {
        // Redraw with the final status so that the line still fits the terminal width.
        const line = render(lastDone, lastStatus === '' ? status : `${lastStatus} ${status}`);
        const pad = last.length > line.length ? ' '.repeat(last.length - line.length) : '';
        stream.write(`\r${line}${pad}\n`);
      }
      else if (status !== '') stream.write(`${label} ${status}\n`);
    },
  };
}

/** What the progress reporter reads from the trainer's per-epoch logs. @category CLI */
export interface TrainingProgressEpoch {
  readonly epoch: number;
  readonly loss: number;
  readonly valLoss?: number;
}

/** How one network's training ended (a subset of the trainer's `TrainResult`). @category CLI */
export interface TrainingProgressEnd {
  readonly epochs: number;
  readonly stopReason: 'completed' | 'earlyStopping';
  readonly bestEpoch: number | null;
}

/** {@link TrainingProgress} that also follows networks trained together, live. @category CLI */
export interface EnsembleTrainingProgress extends TrainingProgress {
  /** Pass as `onEnsembleEpochEnd` of buildRiskModel's fit options. */
  onEnsembleEpochEnd(logs: TrainingProgressEnsembleEpoch): void;
}

/** One epoch of networks trained together (a packed ensemble): each one's logs, null once stopped. @category CLI */
export interface TrainingProgressEnsembleEpoch {
  readonly epoch: number;
  readonly members: readonly (TrainingProgressEpoch | null)[];
}

/** Fit callbacks that drive one progress bar per network of an ensemble. @category CLI */
export interface TrainingProgress {
  /** Pass as `onEpochEnd` of the fit options. */
  onEpochEnd(logs: TrainingProgressEpoch): void;
  /** Pass as `onTrainEnd` of the fit options. */
  onTrainEnd(result: TrainingProgressEnd): void;
}

/**
 * Progress of an ensemble fit: one bar per network, labelled `member k/M`, of at most `epochs`
 * steps, each ended with the epoch it stopped at and, after early stopping, the best epoch
 * (1-based). Networks trained together (`buildRiskModel`'s packed ensemble) report live through
 * `onEnsembleEpochEnd`: on a TTY one redrawn `networks` bar (epoch, networks still training, mean
 * validation loss); otherwise one plain line per epoch and network. Each network's `onTrainEnd`
 * then prints how it stopped, and the per-network `onEpochEnd` replay after training is ignored.
 *
 * @param members - Number of networks trained in sequence.
 * @param epochs - Maximum epochs per network (the bar's length; early stopping ends it sooner).
 * @param stream - Output stream (default `process.stderr`).
 * @returns Callbacks for the fit options.
 * @example
 * ```ts
 * const progress = trainingProgress(5, 200, process.stderr);
 * const model = await buildRiskModel(train, { target: 'Class' }, progress);
 * ```
 * @category CLI
 */
export function trainingProgress(members: number, epochs: number, stream: ProgressStream = process.stderr): EnsembleTrainingProgress {
  let member = 0;
  let bar: ProgressBar | null = null;
  let live = false;
  let liveBar: ProgressBar | null = null;
  const status = (l: TrainingProgressEpoch): string => `loss ${l.loss.toFixed(4)}${l.valLoss === undefined ? '' : ` val_loss ${l.valLoss.toFixed(4)}`}`;
  return {
    onEnsembleEpochEnd(logs: TrainingProgressEnsembleEpoch): void {
      live = true;
      if (stream.isTTY === true) {
        const running = logs.members.filter((l): l is TrainingProgressEpoch => l !== null);
        const val = running.filter((l) => l.valLoss !== undefined);
        const mean = val.reduce((s, l) => s + (l.valLoss as number), 0) / Math.max(1, val.length);
        liveBar ??= createProgressBar(epochs, 'networks', stream);
        liveBar.update(logs.epoch + 1, `${running.length}/${members} training${val.length === 0 ? '' : ` val_loss ${mean.toFixed(4)}`}`);
        return;
      }
      logs.members.forEach((l, m) => {
        if (l !== null) stream.write(`member ${m + 1}/${members} ${logs.epoch + 1}/${epochs} ${status(l)}\n`);
      });
    },
    onEpochEnd(logs: TrainingProgressEpoch): void {
      if (live) return;
      if (bar === null) {
        member++;
        bar = createProgressBar(epochs, `member ${member}/${members}`, stream);
      }
      bar.update(logs.epoch + 1, status(logs));
    },
    onTrainEnd(result: TrainingProgressEnd): void {
      if (live) {
        if (liveBar !== null) {
          liveBar.finish();
          liveBar = null;
        }
        member++;
        const how = result.stopReason === 'earlyStopping' ? `(early stop, best epoch ${(result.bestEpoch ?? 0) + 1})` : `(${result.epochs} epochs)`;
        stream.write(`member ${member}/${members} ${how}\n`);
        return;
      }
      if (bar === null) return;
      bar.finish(result.stopReason === 'earlyStopping' ? `(early stop, best epoch ${(result.bestEpoch ?? 0) + 1})` : '');
      bar = null;
    },
  };
}

/**
 * Progress of a single network's fit (`finml train --task regression|multiclass`): one bar
 * labelled `training` of at most `epochs` steps, ended with how training stopped.
 *
 * @param epochs - Maximum epochs (the bar's length; early stopping ends it sooner).
 * @param stream - Output stream (default `process.stderr`).
 * @returns Callbacks for the fit options of a neural estimator.
 * @example
 * ```ts
 * const fitted = await neuralRegressor({ train: { epochs: 50 } }).fit(x, y, networkProgress(50, process.stderr));
 * ```
 * @category CLI
 */
export function networkProgress(epochs: number, stream: ProgressStream = process.stderr): TrainingProgress {
  let bar: ProgressBar | null = null;
  return {
    onEpochEnd(logs: TrainingProgressEpoch): void {
      bar ??= createProgressBar(epochs, 'training', stream);
      bar.update(logs.epoch + 1, `loss ${logs.loss.toFixed(4)}${logs.valLoss === undefined ? '' : ` val_loss ${logs.valLoss.toFixed(4)}`}`);
    },
    onTrainEnd(result: TrainingProgressEnd): void {
      if (bar === null) return;
      bar.finish(result.stopReason === 'earlyStopping' ? `(early stop, best epoch ${(result.bestEpoch ?? 0) + 1})` : '');
      bar = null;
    },
  };
}

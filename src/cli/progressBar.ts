/**
 * Training progress for the `finml` command, written to stderr so stdout stays clean for data.
 * On a TTY it redraws one line (`\r`); otherwise (pipes, CI logs) it prints one plain line per step.
 *
 * @module
 */

/** Where progress goes: stderr in the CLI; tests pass a fake stream. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(s: string): unknown;
}

/** A running progress indicator. */
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
 */
export function createProgressBar(total: number, label: string, stream: ProgressStream = process.stderr): ProgressBar {
  const tty = stream.isTTY === true;
  const steps = Math.max(1, total);
  let last = '';
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
    },
    finish(status = ''): void {
      if (tty) stream.write(status === '' ? '\n' : `\r${last.replace(/\s+$/, '')} ${status}\n`);
      else if (status !== '') stream.write(`${label} ${status}\n`);
    },
  };
}

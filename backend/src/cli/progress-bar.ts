const WIDTH = 30;

export type Progress = (label: string, done: number, total: number) => void;

/**
 * A textual progress bar on a stream. On a terminal it redraws its line until the step is
 * complete; in a log (not a TTY) it prints a line per 10%, so logs stay short.
 */
export function progressBar(stream: NodeJS.WriteStream = process.stderr): Progress {
  let last = '';
  return (label, done, total) => {
    const fraction = total === 0 ? 1 : Math.min(1, done / total);
    const filled = Math.round(fraction * WIDTH);
    const line = `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}% ${label} ${done}/${total}`;
    if (stream.isTTY) {
      stream.write(`\r${line}${fraction === 1 ? '\n' : ''}`);
      return;
    }
    const step = `${label}:${Math.floor(fraction * 10)}`;
    if (step !== last) stream.write(`${line}\n`);
    last = step;
  };
}

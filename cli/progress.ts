/** A one-line progress display on stderr, redrawn in place; silent when stderr is not a terminal. */
export interface Progress {
  show(line: string): void;
  /** Erases the line, so what follows starts on a clean one. */
  clear(): void;
}

const ERASE_LINE = '\r\x1b[K';

type ProgressIo = { stderr: (text: string) => void; stderrIsTTY: boolean };

export function progressOn(io: ProgressIo): Progress {
  if (!io.stderrIsTTY) return { show: () => undefined, clear: () => undefined };
  let shown = '';
  return {
    show(line) {
      if (line === shown) return;
      io.stderr(`${ERASE_LINE}${line}`);
      shown = line;
    },
    clear() {
      if (shown) io.stderr(ERASE_LINE);
      shown = '';
    },
  };
}

/** Runs `work` with a progress display that is erased however the work ends. */
export async function withProgress<T>(io: ProgressIo, work: (progress: Progress) => Promise<T>): Promise<T> {
  const progress = progressOn(io);
  try {
    return await work(progress);
  } finally {
    progress.clear();
  }
}

/** `[#####.....]` for a fraction from 0 to 1. */
export function progressBar(fraction: number, width = 20): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

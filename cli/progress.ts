/** A one-line progress display on stderr, redrawn in place; silent when stderr is not a terminal. */
export interface Progress {
  show(line: string): void;
  /** Erases the line, so what follows starts on a clean one. */
  clear(): void;
}

const ERASE_LINE = '\r\x1b[K';

export function progressOn(io: { stderr: (text: string) => void; stderrIsTTY: boolean }): Progress {
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

/** `[#####.....]` for a fraction from 0 to 1. */
export function progressBar(fraction: number, width = 20): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

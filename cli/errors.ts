/** A failure the CLI reports as one line, `prism-registry: <message> (<code>)`, with a non-zero exit status. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** An error answer of the registry API: `{"error":{"code","message","details?","requestId"}}`. */
export class ApiError extends CliError {
  constructor(
    readonly status: number,
    code: string,
    message: string,
    readonly requestId?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message, code);
    this.name = 'ApiError';
  }
}

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ').trim();

export function formatError(error: unknown): string {
  if (error instanceof ApiError) {
    const context = [error.code, `HTTP ${error.status}`, ...(error.requestId ? [`request ${error.requestId}`] : [])];
    return `prism-registry: ${oneLine(error.message)} (${context.join(', ')})`;
  }
  if (error instanceof CliError) return `prism-registry: ${oneLine(error.message)} (${error.code})`;
  const message = error instanceof Error ? error.message : String(error);
  return `prism-registry: ${oneLine(message)} (unexpected_error)`;
}

/** Commander's own messages (`error: unknown option '--x'`) in the same one-line shape. */
export const formatUsageError = (commanderMessage: string) =>
  formatError(new CliError(commanderMessage.replace(/^error:\s*/, ''), 'usage'));

import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { removePidFile, writePidFile } from '../stack/leftovers';
import { projectRoot } from '../stack/paths';
import { LOOPBACK } from '../stack/ports';
import { stderrTail, waitForExit } from './child-processes';

/** maildev in a process of its own: ESM through and through, which the test runner's CommonJS cannot load. */
const ENTRY = fileURLToPath(new URL('mail-catcher-process.ts', import.meta.url));

export interface MailCatcher {
  /** Where the functions send mail (`smtp://127.0.0.1:<port>`). */
  smtpUrl: string;
  /** Its web interface, and its REST API under `/api` (`GET /api/email`, `DELETE /api/email/all`). */
  webUrl: string;
  stop(): Promise<void>;
}

export interface MailCatcherOptions {
  /** 0 for any free port, as for `webPort`. */
  smtpPort: number;
  webPort: number;
  /** Where each message is kept, one `.eml` file apiece, and read back from at the next start. */
  mailDirectory: string;
  /**
   * Records the process here while it runs (see `endLeftover`): it lives in a process group of its own, and ends by
   * itself once the stack that started it has, but not at once.
   */
  pidFile?: string;
  startTimeoutMs?: number;
}

interface Listening {
  smtpPort: number;
  webPort: number;
}

const listeningIn = (line: string): Listening | undefined => {
  try {
    const parsed = JSON.parse(line) as Partial<Listening>;
    return typeof parsed.smtpPort === 'number' && typeof parsed.webPort === 'number'
      ? (parsed as Listening)
      : undefined;
  } catch {
    return undefined;
  }
};

/** Starts the mail catcher (maildev) on LOOPBACK and resolves once its SMTP server and web interface listen. */
export async function startMailCatcher(options: MailCatcherOptions): Promise<MailCatcher> {
  const { smtpPort, webPort, mailDirectory, pidFile } = options;
  const args = [
    ENTRY,
    '--smtp-port',
    String(smtpPort),
    '--web-port',
    String(webPort),
    '--mail-directory',
    mailDirectory,
  ];
  // Its own process group, as DynamoDB Local's: a terminal's Ctrl-C reaches only us, and we stop it in order, after
  // the mailer's last sends.
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', '--import', 'tsx', ...args], {
    cwd: projectRoot(),
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  const killChild = () => child.kill('SIGKILL');
  process.on('exit', killChild);
  const stderr = stderrTail(child);
  let running = false;

  const stop = async () => {
    running = false;
    process.off('exit', killChild);
    child.kill('SIGTERM');
    await waitForExit(child, 5000);
    if (pidFile) removePidFile(pidFile);
  };

  let ports: Listening;
  try {
    ports = await new Promise<Listening>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('The mail catcher did not listen within the start timeout')),
        options.startTimeoutMs ?? 30_000,
      );
      createInterface({ input: child.stdout }).on('line', (line) => {
        const listening = listeningIn(line);
        if (!listening) return;
        clearTimeout(timer);
        resolve(listening);
      });
      child.once('error', reject);
      child.once('exit', (code, signal) =>
        reject(new Error(`The mail catcher exited (${signal ?? `code ${code}`}) while starting: ${stderr()}`)),
      );
    });
  } catch (error) {
    await stop();
    throw error;
  }
  running = true;
  child.once('exit', (code, signal) => {
    if (running) console.error(`The mail catcher stopped unexpectedly (${signal ?? `code ${code}`}): ${stderr()}`);
  });
  if (pidFile && child.pid !== undefined) {
    writePidFile(pidFile, {
      pid: child.pid,
      marks: [ENTRY, mailDirectory],
      ports: [ports.smtpPort, ports.webPort],
      startedAt: new Date().toISOString(),
    });
  }
  return {
    smtpUrl: `smtp://${LOOPBACK}:${ports.smtpPort}`,
    webUrl: `http://${LOOPBACK}:${ports.webPort}`,
    stop,
  };
}

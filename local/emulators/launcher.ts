import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectRoot } from '../stack/paths';
import { JAVA_MISSING_MESSAGE, javaProblemIn } from './java-problems';

/** Runs DynamoDB Local listening on LOOPBACK only, which its own main class cannot do. */
const LAUNCHER_SOURCE = fileURLToPath(new URL('DynamoDbLocalOnLoopback.java', import.meta.url));
export const LAUNCHER_CLASS = 'DynamoDbLocalOnLoopback';

/** Compiled launchers, one folder per source and jar, beside the other tools' caches. */
const defaultCache = () => join(projectRoot(), 'node_modules', '.cache', 'prism-registry', 'dynamodb-local-launcher');

/**
 * The folder holding the launcher compiled against `jar`, compiled now if no earlier start left it. Compiling
 * once, rather than letting `java` compile the source file at every start, spares each start about 2 s of CPU.
 * The compiler is `java`'s own `jdk.compiler` module, which running the source file needed too.
 */
export async function compiledLauncher(jar: string, cache = defaultCache()): Promise<string> {
  const source = readFileSync(LAUNCHER_SOURCE);
  const version = createHash('sha256').update(source).update(jar).digest('hex').slice(0, 16);
  const folder = join(cache, version);
  if (existsSync(join(folder, `${LAUNCHER_CLASS}.class`))) return folder;

  mkdirSync(cache, { recursive: true });
  const scratch = mkdtempSync(join(cache, `${version}-`));
  try {
    await compile(jar, scratch);
    try {
      renameSync(scratch, folder);
    } catch (error) {
      // Another start compiled the same launcher meanwhile: theirs is as good.
      if (!existsSync(join(folder, `${LAUNCHER_CLASS}.class`))) throw error;
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return folder;
}

function compile(jar: string, into: string): Promise<void> {
  const args = ['-m', 'jdk.compiler/com.sun.tools.javac.Main', '--release', '17', '-cp', jar, '-d', into];
  const child = spawn('java', [...args, LAUNCHER_SOURCE], { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new Error(JAVA_MISSING_MESSAGE) : error),
    );
    child.once('close', (code) => {
      if (code === 0) return resolve();
      const problem = javaProblemIn(output);
      reject(new Error(problem ?? `Could not compile ${LAUNCHER_SOURCE}: ${output.trim()}`));
    });
  });
}

import { checkNumberSettings } from '../lambdas/config';
import {
  BUCKET_PREFIXES,
  ENV,
  LOCAL_NAMES,
  OFF_UNLESS_SET,
  SCHEDULED_JOBS,
  SCHEDULES,
  type ScheduledJob,
} from '../system/resources';
import { DEFAULT_PORTS, PORT_VARIABLES, stackFiles, type StackPorts } from './stack/paths';
import { endLeftover } from './stack/leftovers';
import { isPortFree } from './stack/ports';
import { EVERY_MINUTE_VARIABLE, everyMinuteFromVariable, scheduledJobsOn } from './events/scheduler';
import { runningStack } from './stack/stack-file';
import { startEmbeddedStack, type EmbeddedStack } from './stack/stack';

/** `npm start`: the embedded stack in the foreground until Ctrl-C. */

type Service = keyof StackPorts;

/** Worker invocations at once per queue, for experiments with the batch pipeline's throughput. */
const WORKER_CONCURRENCY_VARIABLE = 'PRISM_WORKER_CONCURRENCY';

function portsFromEnvironment(): StackPorts {
  const ports = { ...DEFAULT_PORTS } as StackPorts;
  for (const service of Object.keys(PORT_VARIABLES) as Service[]) {
    const configured = process.env[PORT_VARIABLES[service]];
    if (configured === undefined || configured === '') continue;
    const port = Number(configured);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new Error(`${PORT_VARIABLES[service]}=${configured} is not a port number (1-65535)`);
    }
    ports[service] = port;
  }
  return ports;
}

function workerConcurrencyFromEnvironment(): number | undefined {
  const configured = process.env[WORKER_CONCURRENCY_VARIABLE];
  if (configured === undefined || configured === '') return undefined;
  const concurrency = Number(configured);
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new Error(`${WORKER_CONCURRENCY_VARIABLE}=${configured} is not a whole number of at least 1`);
  }
  return concurrency;
}

async function checkPortsFree(ports: StackPorts): Promise<void> {
  for (const service of Object.keys(ports) as Service[]) {
    if (!(await isPortFree(ports[service]))) {
      throw new Error(
        `Port ${ports[service]} (${service}) is already in use: stop the other process or set ${PORT_VARIABLES[service]}`,
      );
    }
  }
}

/** A job of OFF_UNLESS_SET that is off: what switches it on. */
const offLine = (job: ScheduledJob): string =>
  `off: set ${ENV[OFF_UNLESS_SET[job]!]} to switch it on (${SCHEDULES[job].description})`;

/** One line per scheduled job: its name, and its schedule, "every minute" or what switches it on. */
function scheduleLines(everyMinute: ReadonlySet<ScheduledJob>): string[] {
  const width = Math.max(...SCHEDULED_JOBS.map((job) => job.length));
  const on = scheduledJobsOn(process.env);
  return SCHEDULED_JOBS.map((job) => {
    const when = !on.includes(job)
      ? offLine(job)
      : everyMinute.has(job)
        ? `every minute (${EVERY_MINUTE_VARIABLE})`
        : SCHEDULES[job].description;
    return `             ${job.padEnd(width)}  ${when}`;
  });
}

function printBanner(stack: EmbeddedStack, everyMinute: ReadonlySet<ScheduledJob>): void {
  const files = stackFiles(stack.home);
  console.log(
    [
      'Prism Invitation Registry: embedded stack running',
      `  Endpoint   ${stack.endpoint}`,
      `  Data       ${stack.home} (kept across restarts; \`npm run reset\` deletes it)`,
      '  CLI        `prism-registry` finds this stack and its local credentials by itself: nothing to export',
      '  Console    `npx prism-registry console` in another terminal serves the admin console and opens it',
      `  SigV4      other clients sign for region ${stack.credentials.region}, service execute-api, with access key`,
      `             ${stack.credentials.accessKeyId}; its secret access key is in ${files.credentials}`,
      `  S3         bucket ${LOCAL_NAMES.bucket} at ${stack.emulators.fauxqs} (path style, any credentials);`,
      `             a CSV put under ${BUCKET_PREFIXES.drop} starts a batch`,
      `  Events     ${stack.emulators.events} (EventBridge PutEvents), logged to ${files.events}`,
      `  Mail       ${stack.emulators.mailWeb} (the mail catcher: every e-mail the registry sends, REST API under /api),`,
      `             SMTP ${stack.emulators.smtp}, from ${process.env[ENV.mailFrom]}; kept in ${files.mail}`,
      `  Schedules  in UTC, each run sent to the job queue ${LOCAL_NAMES.jobQueue}, the audit archive's to`,
      `             ${LOCAL_NAMES.archiveJobQueue}, whose function alone writes the bucket ${LOCAL_NAMES.auditArchiveBucket}:`,
      ...scheduleLines(everyMinute),
      'Ctrl-C stops it.',
    ].join('\n'),
  );
}

function stopOnSignals(stack: EmbeddedStack): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log(`\n${signal}: stopping the embedded stack...`);
    stack.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('Could not stop cleanly:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

function checkNotRunning(): void {
  const running = runningStack(stackFiles().stack);
  if (running) throw new Error(`The embedded stack is already running (pid ${running.pid}) at ${running.endpoint}`);
}

/**
 * Ends the emulators a previous run of this data folder left running when it was killed, and waits for their
 * ports to be free, before the ports are checked.
 */
async function endLeftovers(): Promise<void> {
  const files = stackFiles();
  for (const [name, pidFile] of [
    ['DynamoDB Local', files.dynamodbPid],
    ['maildev (the mail catcher)', files.mailPid],
  ] as const) {
    const ended = await endLeftover(name, pidFile);
    if (ended !== undefined) {
      console.log(`Stopped ${name} (pid ${ended}), left running by a previous run of this data folder`);
    }
  }
}

async function main(): Promise<void> {
  const ports = portsFromEnvironment();
  const workerConcurrency = workerConcurrencyFromEnvironment();
  const everyMinute = everyMinuteFromVariable(process.env[EVERY_MINUTE_VARIABLE]);
  checkNumberSettings();
  checkNotRunning();
  await endLeftovers();
  await checkPortsFree(ports);
  const stack = await startEmbeddedStack({ ports, workerConcurrency, everyMinute });
  stopOnSignals(stack);
  printBanner(stack, everyMinute);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});

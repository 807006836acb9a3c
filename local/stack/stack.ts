import { mkdirSync } from 'node:fs';
import { ROW_QUEUE, type ScheduledJob } from '../../system/resources';
import { bootstrapLocalResources } from '../emulators/bootstrap';
import { loadOrCreateKeyRing, loadOrCreateLocalCredentials } from './credentials';
import { startDynamoDbLocal } from '../emulators/dynamodb-local';
import { emulatorEnvironment, gatewayEnvironment, type EmulatorEndpoints } from './environment';
import { startLocalEventBus } from '../events/event-bus';
import { startEventSources } from '../events/event-sources';
import { startFauxqsEmulator } from '../emulators/fauxqs';
import { startGateway } from '../gateway/gateway';
import { lambdaRuntime } from './lambda-runtime';
import { startMailCatcher } from '../emulators/mail-catcher';
import { DEFAULT_PORTS, stackFiles, type LocalCredentials, type StackPorts } from './paths';
import { releaseInFlight } from '../events/queue-recovery';
import { jobQueueSender, scheduledJobsOn, startScheduler } from '../events/scheduler';
import { startFunctionSchedules } from '../events/function-schedules';
import { removeStackRecord, runningStack, writeStackRecord } from './stack-file';

export interface EmbeddedStackOptions {
  /** Data folder; `dataDir()` when absent. */
  home?: string;
  ports?: Partial<StackPorts>;
  /** No access log on stdout. */
  quiet?: boolean;
  /** Invocations at once per row queue (the event sources' maximum concurrency); ROW_QUEUE's default when absent. */
  workerConcurrency?: number;
  /** Jobs the scheduler sends every minute besides their own schedule. */
  everyMinute?: ReadonlySet<ScheduledJob>;
}

export interface EmbeddedStack {
  endpoint: string;
  credentials: LocalCredentials;
  home: string;
  emulators: EmulatorEndpoints;
  stop(): Promise<void>;
}

/** Stops what has started so far, newest first. */
function shutdownSequence() {
  const stops: (() => Promise<void> | void)[] = [];
  return {
    add: (stop: () => Promise<void> | void) => stops.unshift(stop),
    run: async () => {
      for (const stop of stops.splice(0)) await stop();
    },
  };
}

/**
 * Starts the whole backend on this machine: DynamoDB Local, fauxqs and the mail catcher persisting under the data
 * folder, the local event bus, the tables, bucket and queues (messages a previous run left in flight made visible at
 * once), the local credentials and key ring, the event sources (S3 notifications, queue pollers, the audit
 * table's stream, read on from where the previous run left it), the
 * functions' own schedules (the batch watchdog, run once at the start too), the scheduler sending scheduled
 * jobs to their job queues, and the gateway serving the functions.
 */
export async function startEmbeddedStack(options: EmbeddedStackOptions = {}): Promise<EmbeddedStack> {
  const files = stackFiles(options.home);
  const ports: StackPorts = { ...DEFAULT_PORTS, ...options.ports };
  const running = runningStack(files.stack);
  if (running) {
    throw new Error(`The embedded stack already runs from ${files.home} (pid ${running.pid}, ${running.endpoint})`);
  }
  mkdirSync(files.home, { recursive: true, mode: 0o700 });
  const credentials = loadOrCreateLocalCredentials(files.credentials);
  loadOrCreateKeyRing(files.keys);

  const shutdown = shutdownSequence();
  try {
    const dynamodb = await startDynamoDbLocal({
      port: ports.dynamodb,
      dbPath: files.dynamodb,
      pidFile: files.dynamodbPid,
    });
    shutdown.add(dynamodb.stop);
    const fauxqs = await startFauxqsEmulator({ port: ports.fauxqs, dataDir: files.fauxqs });
    shutdown.add(fauxqs.stop);
    const eventBus = await startLocalEventBus({ port: ports.events, file: files.events });
    shutdown.add(eventBus.close);
    const mailCatcher = await startMailCatcher({
      smtpPort: ports.smtp,
      webPort: ports.mailWeb,
      mailDirectory: files.mail,
      pidFile: files.mailPid,
    });
    shutdown.add(mailCatcher.stop);
    const emulators = {
      dynamodb: dynamodb.endpoint,
      fauxqs: fauxqs.endpoint,
      events: eventBus.endpoint,
      smtp: mailCatcher.smtpUrl,
      mailWeb: mailCatcher.webUrl,
    };
    const resources = await bootstrapLocalResources(emulators);

    const released = await releaseInFlight(fauxqs, Object.values(resources.queues));
    if (released > 0 && !options.quiet) {
      console.log(`Messages a previous run left in flight, back on their queues: ${released}`);
    }

    const gateway = await startGateway({
      port: ports.gateway,
      credentials,
      accessLog: options.quiet ? undefined : (line) => console.log(line),
    });
    shutdown.add(gateway.close);
    // Before any function loads: they read these when they build their clients. No request reaches a function
    // before: the gateway handles its first connection only once this code gives the event loop back.
    Object.assign(process.env, emulatorEnvironment(emulators, resources, files.keys), gatewayEnvironment(gateway.url));
    const invoke = lambdaRuntime();
    const eventSources = startEventSources({
      fauxqs,
      dynamodb: dynamodb.endpoint,
      resources,
      invoke,
      workerConcurrency: options.workerConcurrency ?? ROW_QUEUE.defaultMaxConcurrency,
      streamsFolder: files.streams,
    });
    shutdown.add(eventSources.stop);
    const functionSchedules = startFunctionSchedules(invoke);
    shutdown.add(functionSchedules.stop);
    const jobQueue = jobQueueSender(fauxqs.endpoint, resources.queues);
    shutdown.add(jobQueue.close);
    const scheduler = startScheduler({
      send: jobQueue.send,
      everyMinute: options.everyMinute,
      on: scheduledJobsOn(process.env),
    });
    shutdown.add(scheduler.stop);

    writeStackRecord(files.stack, { endpoint: gateway.url, pid: process.pid, startedAt: new Date().toISOString() });
    shutdown.add(() => removeStackRecord(files.stack));
    return { endpoint: gateway.url, credentials, home: files.home, emulators, stop: shutdown.run };
  } catch (error) {
    await shutdown.run();
    throw error;
  }
}

import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { JobMessage } from '../../lambdas/domain/job';
import { jobQueueOf, type JobQueue } from '../../system/functions';
import {
  ENV,
  OFF_UNLESS_SET,
  SCHEDULED_JOBS,
  SCHEDULES,
  type Schedule,
  type ScheduledJob,
} from '../../system/resources';
import { EMULATOR_CREDENTIALS, LOCAL_REGION } from '../emulators/local-aws';
import type { LocalQueue } from '../emulators/queue-resources';

/**
 * Jobs (comma-separated SCHEDULED_JOBS names) the embedded stack's scheduler sends every minute besides their
 * own schedule, e.g. `PRISM_SCHEDULE_EVERY_MINUTE=invitation-audit,audit-archive npm start`: a way to watch a
 * scheduled run without waiting for its hour.
 */
export const EVERY_MINUTE_VARIABLE = 'PRISM_SCHEDULE_EVERY_MINUTE';

const MINUTE_MS = 60_000;

const isScheduledJob = (name: string): name is ScheduledJob => (SCHEDULED_JOBS as readonly string[]).includes(name);

/** The jobs `value` (EVERY_MINUTE_VARIABLE's) names; none when it is absent or empty. */
export function everyMinuteFromVariable(value: string | undefined): ReadonlySet<ScheduledJob> {
  const names = (value ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const unknown = names.find((name) => !isScheduledJob(name));
  if (unknown !== undefined) {
    throw new Error(
      `${EVERY_MINUTE_VARIABLE}=${value}: "${unknown}" is not a scheduled job (${SCHEDULED_JOBS.join(', ')})`,
    );
  }
  return new Set(names.filter(isScheduledJob));
}

/** Unset fields match every value, as in cron; all in UTC. */
const matches = ({ minute, hour, day, weekDay }: Schedule, at: Date): boolean =>
  at.getUTCMinutes() === minute &&
  at.getUTCHours() === hour &&
  (day === undefined || at.getUTCDate() === day) &&
  (weekDay === undefined || at.getUTCDay() === weekDay);

/** The jobs whose schedule is on: every one, but those of OFF_UNLESS_SET whose setting `environment` lacks. */
export const scheduledJobsOn = (environment: NodeJS.ProcessEnv): ScheduledJob[] =>
  SCHEDULED_JOBS.filter((job) => {
    const needed = OFF_UNLESS_SET[job];
    return needed === undefined || Boolean(environment[ENV[needed]]);
  });

/**
 * The jobs of `on` due in the minute of `at` (UTC): those whose SCHEDULES entry matches it, and those in
 * `everyMinute`.
 */
export const dueJobs = (
  at: Date,
  everyMinute: ReadonlySet<ScheduledJob> = new Set(),
  on: readonly ScheduledJob[] = SCHEDULED_JOBS,
): ScheduledJob[] => on.filter((job) => everyMinute.has(job) || matches(SCHEDULES[job], at));

/** RFC 3339 to the second, as EventBridge gives a scheduled rule's time. */
export const eventBridgeTime = (minute: Date): string => minute.toISOString().replace(/\.\d{3}Z$/, 'Z');

const nextMinuteAfter = (ms: number): number => (Math.floor(ms / MINUTE_MS) + 1) * MINUTE_MS;

/** Calls `callback` after `delayMs`; returns what cancels it. */
export type SetTimer = (callback: () => void, delayMs: number) => () => void;

const realTimer: SetTimer = (callback, delayMs) => {
  const timer = setTimeout(callback, delayMs);
  return () => clearTimeout(timer);
};

/** The message of a schedule's run: the job and its time slot. */
export type ScheduledRun = Extract<JobMessage, { schedule: ScheduledJob }>;

export interface SchedulerOptions {
  /** Sends a scheduled run to its job's queue. */
  send(message: ScheduledRun): Promise<void>;
  /** Jobs due every minute besides their own schedule (EVERY_MINUTE_VARIABLE). */
  everyMinute?: ReadonlySet<ScheduledJob>;
  /** The jobs whose schedule is on (`scheduledJobsOn`); every one when absent. */
  on?: readonly ScheduledJob[];
  now?: () => Date;
  setTimer?: SetTimer;
}

export interface Scheduler {
  /** Sends nothing more and waits for the sends under way. */
  stop(): Promise<void>;
}

/**
 * The embedded stack's EventBridge rules: at the start of every minute (UTC) it sends
 * `{"schedule": <job>, "time": <that minute>}` for each job due (`dueJobs`), as the rules do in AWS. A send
 * that fails is logged, not retried: the job runs at its next slot or on demand. Minutes the process misses
 * (a suspended machine) are not caught up, as with cron.
 */
export function startScheduler({
  send,
  everyMinute = new Set(),
  on = SCHEDULED_JOBS,
  now = () => new Date(),
  setTimer = realTimer,
}: SchedulerOptions): Scheduler {
  const sending = new Set<Promise<void>>();

  const sendDue = (minute: Date) => {
    const time = eventBridgeTime(minute);
    for (const job of dueJobs(minute, everyMinute, on)) {
      const delivery = send({ schedule: job, time }).catch((error: unknown) => {
        console.error(`[scheduler] could not send ${job} for ${time} to its job queue:`, error);
      });
      sending.add(delivery);
      void delivery.finally(() => sending.delete(delivery));
    }
  };

  let cancel: () => void;
  // The minute a timer fires for is its slot, even if the timer runs a little early or late.
  const waitFor = (slot: number) => {
    cancel = setTimer(
      () => {
        sendDue(new Date(slot));
        waitFor(nextMinuteAfter(Math.max(slot, now().getTime())));
      },
      Math.max(0, slot - now().getTime()),
    );
  };
  waitFor(nextMinuteAfter(now().getTime()));

  return {
    stop: async () => {
      cancel();
      await Promise.all(sending);
    },
  };
}

export interface JobQueueSender {
  send(message: ScheduledRun): Promise<void>;
  close(): void;
}

/**
 * Sends each scheduled run to its job's queue in fauxqs (`jobQueueOf`: the audit archive's own, the job queue for
 * the others), as the rules do in AWS, at the fauxqs endpoint: fauxqs queue URLs do not resolve.
 */
export function jobQueueSender(endpoint: string, queues: Record<JobQueue, LocalQueue>): JobQueueSender {
  const client = new SQSClient({ endpoint, region: LOCAL_REGION, credentials: EMULATOR_CREDENTIALS });
  return {
    send: async (message) => {
      const QueueUrl = queues[jobQueueOf(message.schedule)].url;
      await client.send(new SendMessageCommand({ QueueUrl, MessageBody: JSON.stringify(message) }));
    },
    close: () => client.destroy(),
  };
}

import { Duration } from 'aws-cdk-lib';
import { EventField, Rule, RuleTargetInput, Schedule as CronSchedule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { JobMessage } from '../../lambdas/domain/job';
import { jobQueueOf, queueVisibilityTimeoutSeconds, type JobQueue } from '../../system/functions';
import {
  JOB_QUEUE,
  OFF_UNLESS_SET,
  SCHEDULE_RETRY_ATTEMPTS,
  SCHEDULED_JOBS,
  SCHEDULES,
  type Schedule,
  type ScheduledJob,
} from '../../system/resources';
import type { ScheduleSetting } from '../schedule-context';
import { DEAD_LETTER_RETENTION, SecureQueue, redrivenQueue } from './secure-queue';

/** Indexed like SCHEDULES' weekDay (0 = Sunday). EventBridge's numbers start at 1 = Sunday: names leave no doubt. */
const WEEK_DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;

/** How long EventBridge keeps trying to deliver a run: a late run still carries its own time slot. */
export const SCHEDULE_MAX_EVENT_AGE = Duration.hours(2);

function weekDayName(weekDay: number): string {
  const name = WEEK_DAYS[weekDay];
  if (!name) throw new Error(`weekDay ${weekDay} is not a day of the week (0 = Sunday to 6 = Saturday)`);
  return name;
}

/** The EventBridge cron of a SCHEDULES entry (UTC). */
const cronOf = ({ minute, hour, day, weekDay }: Schedule): CronSchedule =>
  CronSchedule.cron({
    minute: String(minute),
    hour: String(hour),
    ...(day !== undefined && { day: String(day) }),
    ...(weekDay !== undefined && { weekDay: weekDayName(weekDay) }),
  });

export interface JobsProps {
  /** When each scheduled job runs, or `off`; SCHEDULES where left out. */
  schedules?: Partial<Record<ScheduledJob, ScheduleSetting>>;
  /** The settings the jobs of OFF_UNLESS_SET need, where the deployment gives them. */
  jobSettings?: Partial<Record<NonNullable<(typeof OFF_UNLESS_SET)[ScheduledJob]>, number>>;
}

/**
 * A job's setting: its `schedules` entry, else SCHEDULES' own, except that a job of OFF_UNLESS_SET is `off` while its
 * setting is missing, and a schedule given for it then is a mistake to stop the synth on.
 */
function settingFor(job: ScheduledJob, { schedules = {}, jobSettings = {} }: JobsProps): ScheduleSetting {
  const needed = OFF_UNLESS_SET[job];
  const given = schedules[job];
  if (needed === undefined || jobSettings[needed] !== undefined) return given ?? SCHEDULES[job];
  if (given !== undefined && given !== 'off') {
    throw new Error(`The ${job} job has a schedule but no ${needed}: it stays off until ${needed} is set`);
  }
  return 'off';
}

/**
 * Long work and its schedules: the job queue (JOB_QUEUE) feeding the job runner, with the dead-letter queue
 * its poison messages end up in; the archive job queue feeding the audit archive's own function, whose poison
 * messages end up in the same dead-letter queue; and one EventBridge rule per scheduled job (SCHEDULES, or its
 * setting) sending `{"schedule": <job>, "time": <the rule's time>}` to the queue of that job (`jobQueueOf`). A
 * run EventBridge cannot deliver after SCHEDULE_RETRY_ATTEMPTS lands in the schedules' own dead-letter queue.
 */
export class Jobs extends Construct {
  public readonly jobQueue: Queue;
  public readonly jobDeadLetterQueue: Queue;
  public readonly archiveJobQueue: Queue;
  public readonly scheduleDeadLetterQueue: Queue;
  public readonly schedules: Readonly<Record<ScheduledJob, Rule>>;

  constructor(scope: Construct, id: string, props: JobsProps = {}) {
    super(scope, id);

    const jobs = redrivenQueue(this, 'Job', { queue: 'jobs', deadLetters: 'jobDeadLetters', settings: JOB_QUEUE });
    this.jobQueue = jobs.queue;
    this.jobDeadLetterQueue = jobs.deadLetterQueue;
    this.archiveJobQueue = new SecureQueue(this, 'ArchiveJobQueue', {
      visibilityTimeout: Duration.seconds(queueVisibilityTimeoutSeconds('archiveJobs')),
      retentionPeriod: Duration.days(JOB_QUEUE.retentionDays),
      deadLetterQueue: { queue: this.jobDeadLetterQueue, maxReceiveCount: JOB_QUEUE.maxReceiveCount },
    });
    this.scheduleDeadLetterQueue = new SecureQueue(this, 'ScheduleDeadLetterQueue', {
      retentionPeriod: DEAD_LETTER_RETENTION,
    });

    this.schedules = Object.fromEntries(
      SCHEDULED_JOBS.map((job) => [job, this.scheduleRule(job, settingFor(job, props))] as const),
    ) as Record<ScheduledJob, Rule>;
  }

  /** The queue a job queue name (`jobQueueOf`) stands for. */
  queueOf(queue: JobQueue): Queue {
    return queue === 'archiveJobs' ? this.archiveJobQueue : this.jobQueue;
  }

  /** A job switched `off` keeps its rule, disabled on its default schedule, to be switched on by hand. */
  private scheduleRule(job: ScheduledJob, setting: ScheduleSetting): Rule {
    const message: JobMessage = { schedule: job, time: EventField.time };
    const schedule = setting === 'off' ? SCHEDULES[job] : setting;
    return new Rule(this, `Schedule-${job}`, {
      description: setting === 'off' ? `${schedule.description} (off)` : schedule.description,
      enabled: setting !== 'off',
      schedule: cronOf(schedule),
      targets: [
        new SqsQueue(this.queueOf(jobQueueOf(job)), {
          message: RuleTargetInput.fromObject(message),
          retryAttempts: SCHEDULE_RETRY_ATTEMPTS,
          maxEventAge: SCHEDULE_MAX_EVENT_AGE,
          deadLetterQueue: this.scheduleDeadLetterQueue,
        }),
      ],
    });
  }
}

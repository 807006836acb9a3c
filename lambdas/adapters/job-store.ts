import type { AuditEvent } from '../domain/audit';
import type { Job, JobCheckpoint, JobKind, JobProgress } from '../domain/job';
import type { FinishedFields, JobRepository } from '../ports/jobs';
import { PARTITIONS } from '../config';
import { auditPut } from './audit-items';
import { documents } from './clients';
import { landed, transactWrite } from './conditional-writes';
import { fromItem } from './items';
import { listByKind } from './kind-list';

/** `JOB#<id>` / `JOB`; `listKind` puts jobs in the byKind index, newest first. */
const jobKey = (id: string) => ({ pk: `${PARTITIONS.job}${id}`, sk: 'JOB' });

export class JobStore implements JobRepository {
  constructor(
    private readonly tableName: string,
    /** Read when an event is written: functions that only read never need the audit table. */
    private readonly auditTableName: () => string,
  ) {}

  /** Records a new job with its audit event; false when a job with this id exists already (a repeated schedule). */
  async createJob(job: Job, audit: AuditEvent): Promise<boolean> {
    return landed('job creation', () =>
      transactWrite(
        [
          {
            Put: {
              TableName: this.tableName,
              Item: { ...jobKey(job.id), entity: 'job', listKind: 'job', ...job },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          auditPut(this.auditTableName(), audit),
        ],
        'job creation',
      ),
    );
  }

  async getJob(id: string): Promise<Job | undefined> {
    const { Item } = await documents().get({ TableName: this.tableName, Key: jobKey(id), ConsistentRead: true });
    if (!Item) return undefined;
    const { listKind: _kind, ...job } = Item;
    return fromItem<Job>(job);
  }

  async listJobs(options: {
    limit: number;
    cursor?: string;
    kind?: JobKind;
  }): Promise<{ jobs: Job[]; cursor?: string }> {
    const { items, cursor } = await listByKind(this.tableName, 'job', {
      limit: options.limit,
      cursor: options.cursor,
      where: { kind: options.kind },
    });
    return {
      jobs: items.map(({ listKind: _kind, ...job }) => fromItem<Job>(job)),
      ...(cursor && { cursor }),
    };
  }

  /** Moves a queued job (or one whose runner died and is being run again) to running; false once it has finished. */
  async start(id: string, at: string): Promise<boolean> {
    return landed('job start', () =>
      documents().update({
        TableName: this.tableName,
        Key: jobKey(id),
        UpdateExpression: 'SET #state = :running, updatedAt = :at, startedAt = if_not_exists(startedAt, :at)',
        ConditionExpression: '#state IN (:queued, :running)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':running': 'running', ':queued': 'queued', ':at': at },
      }),
    );
  }

  /**
   * Progress so far, while the job runs, with a resumable job's checkpoint in the same write; false when the
   * job is not running (any more).
   */
  async reportProgress(id: string, progress: JobProgress, at: string, checkpoint?: JobCheckpoint): Promise<boolean> {
    return landed('job progress', () =>
      documents().update({
        TableName: this.tableName,
        Key: jobKey(id),
        UpdateExpression: `SET progress = :progress, updatedAt = :at${checkpoint ? ', #checkpoint = :checkpoint' : ''}`,
        ConditionExpression: '#state = :running',
        ExpressionAttributeNames: { '#state': 'state', ...(checkpoint && { '#checkpoint': 'checkpoint' }) },
        ExpressionAttributeValues: {
          ':progress': progress,
          ':at': at,
          ':running': 'running',
          ...(checkpoint && { ':checkpoint': checkpoint }),
        },
      }),
    );
  }

  /** Ends an unfinished job as `completed` or `failed`, with its audit event; false when it had ended already. */
  async finish(
    id: string,
    state: 'completed' | 'failed',
    fields: FinishedFields,
    at: string,
    audit: AuditEvent,
  ): Promise<boolean> {
    const assignments: Record<string, unknown> = { ...fields, state, updatedAt: at, completedAt: at };
    const names: Record<string, string> = { '#state': 'state' };
    const values: Record<string, unknown> = { ':queued': 'queued', ':running': 'running' };
    const update = Object.entries(assignments)
      .filter(([, value]) => value !== undefined)
      .map(([field, value], n) => {
        names[`#f${n}`] = field;
        values[`:v${n}`] = value;
        return `#f${n} = :v${n}`;
      });
    return landed('job end', () =>
      transactWrite(
        [
          {
            Update: {
              TableName: this.tableName,
              Key: jobKey(id),
              UpdateExpression: `SET ${update.join(', ')}`,
              ConditionExpression: '#state IN (:queued, :running)',
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: values,
            },
          },
          auditPut(this.auditTableName(), audit),
        ],
        'job end',
      ),
    );
  }
}

import type { ServerResponse } from 'node:http';
import { decodeComponent } from '../../lambdas/contract/route-matcher';
import { saveResults } from '../batches';
import { ApiError, CliError } from '../errors';
import type { RegistryClient } from '../http';
import { getJob, saveJobResult } from '../jobs';
import { errorAnswer, send } from './answers';
import { SECURITY_HEADERS } from './guard';

/**
 * `/download/batches/{id}/results` and `/download/jobs/{id}`: a batch's results or a job's result file as an
 * attachment. The console follows the registry's answer (the file inline, or a short-lived link) itself, as the
 * CLI's `batches results` and `jobs download` do, so the page needs no access to the bucket.
 */
export const DOWNLOAD_PATHS = [
  { pattern: /^\/download\/batches\/([^/]+)\/results$/, kind: 'batch' },
  { pattern: /^\/download\/jobs\/([^/]+)$/, kind: 'job' },
] as const;

export async function sendDownload(
  client: RegistryClient,
  kind: (typeof DOWNLOAD_PATHS)[number]['kind'],
  encodedId: string,
  response: ServerResponse,
): Promise<void> {
  const id = decodeComponent(encodedId);
  // The headers go out with the first byte: a refusal before it is still answered as an error.
  response.statusCode = 200;
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
  response.setHeader('content-type', 'text/csv; charset=utf-8');
  response.setHeader('content-disposition', `attachment; filename="${fileNameOf(kind, id)}"`);
  try {
    if (kind === 'batch') await saveResults(client, id, { stdout: response });
    else await saveJobResult(await getJob(client, id), { stdout: response });
    response.end();
  } catch (error) {
    if (!(error instanceof CliError) || response.headersSent) {
      response.destroy();
      if (!(error instanceof CliError)) throw error;
      return;
    }
    response.removeHeader('content-disposition');
    const status = error instanceof ApiError ? error.status : 502;
    send(response, errorAnswer(status, error.code, error.message));
  }
}

const fileNameOf = (kind: 'batch' | 'job', id: string) => {
  const safe = id.replace(/[^A-Za-z0-9_-]/g, '_');
  return kind === 'batch' ? `batch-${safe}-results.csv` : `job-${safe}.csv`;
};

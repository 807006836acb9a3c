import { ApiError } from '../api/client';

/** The field problems a 400 names (`details.issues`, or `details.field` with the message). */
export function fieldIssues(error: unknown): { field: string; message: string }[] {
  if (!(error instanceof ApiError) || !error.details) return [];
  const { issues, field } = error.details;
  if (Array.isArray(issues)) {
    return issues.flatMap((issue: { field?: unknown; message?: unknown }) =>
      typeof issue.field === 'string' && typeof issue.message === 'string'
        ? [{ field: issue.field, message: issue.message }]
        : [],
    );
  }
  return typeof field === 'string' ? [{ field, message: error.message.replace(`${field}: `, '') }] : [];
}

/**
 * An error in an alert region: the registry's code and message (and its request id, to find it in the logs), or
 * what went wrong on the way.
 */
export function ErrorAlert({ error, what }: { error: unknown; what?: string }) {
  if (error === undefined) return null;
  const apiError = error instanceof ApiError ? error : undefined;
  return (
    <div role="alert" class="alert">
      {what && <p class="alert-what">{what}</p>}
      <p>
        <strong>{apiError?.code ?? 'error'}</strong>: {apiError?.message ?? String(error)}
      </p>
      {apiError?.requestId && <p class="muted">Request id {apiError.requestId}</p>}
    </div>
  );
}

import { useState } from 'preact/hooks';
import { INLINE_CSV_MAX_BYTES } from '../../../../lambdas/contract/routes';
import { BATCH_CONCURRENCY } from '../../../../lambdas/domain/batch';
import { startBatch } from '../../api/registry';
import { useAction } from '../../hooks/use-action';
import { href, navigate } from '../../router';
import { ErrorAlert, fieldIssues } from '../../ui/error-alert';
import { Checkbox, Field } from '../../ui/field';
import { FormActions } from '../../ui/form-actions';
import { formatBytes } from '../../ui/format';

/**
 * Uploading a CSV of invitations (docs/SPEC.md §2.1) as a batch: dropped on the zone or chosen with the file input,
 * sent as the body of `POST /batches` with its options in the query, then its live view. The console sends files up
 * to the registry's inline limit; larger ones go through `invitations batch-create` of the CLI.
 */
export function Upload() {
  const [file, setFile] = useState<File>();
  const [dragging, setDragging] = useState(false);
  const [concurrency, setConcurrency] = useState(String(BATCH_CONCURRENCY.default));
  const [includeEncoded, setIncludeEncoded] = useState(false);
  const [hasHeader, setHasHeader] = useState(true);
  const [deliver, setDeliver] = useState(false);
  const [parentId, setParentId] = useState('');
  const action = useAction();
  const errors = Object.fromEntries(fieldIssues(action.error).map(({ field, message }) => [field, message]));

  const choose = (chosen: File | undefined) => {
    action.clear();
    setFile(chosen);
  };
  const tooLarge = file !== undefined && file.size > INLINE_CSV_MAX_BYTES;
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!file || tooLarge) return;
    const started = await action.run(() =>
      startBatch(file, {
        concurrency: concurrency.trim() === '' ? undefined : Number(concurrency),
        includeEncoded,
        hasHeader,
        deliver,
        parentId: parentId.trim() || undefined,
      }),
    );
    if (started) navigate(href.batch(started.batchId));
  };

  return (
    <section aria-labelledby="upload-heading">
      <h2 id="upload-heading">Upload a CSV batch</h2>
      <form class="form upload" onSubmit={submit}>
        <div
          class={dragging ? 'drop-zone dragging' : 'drop-zone'}
          onDragOver={(event) => {
            event.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(event) => {
            event.preventDefault();
            setDragging(false);
            choose(event.dataTransfer?.files[0]);
          }}
        >
          <p>
            Drop a CSV file here (Name,Type,ValidDays,CanInvite,Transferable,DeviceBound,MaxDevices), or choose one:
          </p>
          <Field
            label="CSV file"
            hint={`At most ${formatBytes(INLINE_CSV_MAX_BYTES)}; larger files: prism-registry invitations batch-create`}
            error={errors.body}
            control={(props) => (
              <input
                {...props}
                type="file"
                accept=".csv,text/csv"
                onChange={(event) => choose(event.currentTarget.files?.[0])}
              />
            )}
          />
          {file && (
            <p role="status">
              {tooLarge
                ? `${file.name} holds ${formatBytes(file.size)}: more than the console can send. Use the CLI's batch-create.`
                : `Ready: ${file.name} (${formatBytes(file.size)}).`}
            </p>
          )}
        </div>
        <Field
          label="Concurrency"
          hint={`Rows processed at once, ${BATCH_CONCURRENCY.min}–${BATCH_CONCURRENCY.max}`}
          error={errors.concurrency}
          control={(props) => (
            <input
              {...props}
              type="number"
              inputMode="numeric"
              min={BATCH_CONCURRENCY.min}
              max={BATCH_CONCURRENCY.max}
              value={concurrency}
              onInput={(event) => setConcurrency(event.currentTarget.value)}
            />
          )}
        />
        <Checkbox
          label="Include encoded invitations in the results"
          hint="The results file then holds every secret: keep it safe"
          error={errors.includeEncoded}
          checked={includeEncoded}
          onChange={setIncludeEncoded}
        />
        <Checkbox
          label="The first line is a header"
          error={errors.hasHeader}
          checked={hasHeader}
          onChange={setHasHeader}
        />
        <Checkbox
          label="E-mail each invitation whose row has an Email"
          error={errors.deliver}
          checked={deliver}
          onChange={setDeliver}
        />
        <Field
          label="Parent invitation id"
          hint="Create every row under this invitation"
          error={errors.parentId}
          control={(props) => (
            <input
              {...props}
              value={parentId}
              onInput={(event) => setParentId(event.currentTarget.value)}
              autocomplete="off"
              spellcheck={false}
            />
          )}
        />
        <ErrorAlert error={action.error} what="The batch was not started." />
        <FormActions
          label="Upload and start batch"
          busyLabel="Uploading…"
          busy={action.busy}
          disabled={!file || tooLarge}
        />
      </form>
    </section>
  );
}

import { downloads, getBatchResults } from '../../api/registry';
import { useLoad } from '../../hooks/use-load';
import { failedRows } from '../../model/failed-rows';
import { ErrorAlert } from '../../ui/error-alert';
import { formatBytes } from '../../ui/format';

/**
 * The rows that failed, each with its line in the uploaded file and the registry's error, read from the results file
 * when the registry answers it inline. Only the failed rows are kept: the others may hold secrets.
 */
export function FailedRows({ id }: { id: string }) {
  const loaded = useLoad(async () => {
    const results = await getBatchResults(id);
    return 'csv' in results ? { rows: failedRows(results.csv) } : { tooLarge: results.link.bytes };
  }, id);
  const { data } = loaded;
  return (
    <>
      <h3>Failed rows</h3>
      <ErrorAlert error={loaded.error} what="The results could not be read." />
      {data?.tooLarge !== undefined && (
        <p>
          The results file is too large to show here ({formatBytes(data.tooLarge)}):{' '}
          <a href={downloads.batchResults(id)} download>
            download the results to see them
          </a>
          .
        </p>
      )}
      {data?.rows && (
        <table>
          <caption>{data.rows.length} failed row(s), in file order</caption>
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Row</th>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col">Error</th>
            </tr>
          </thead>
          <tbody>
            {data.rows.map((row) => (
              <tr key={row.row}>
                <td>{row.line}</td>
                <td>{row.row}</td>
                <td>{row.name}</td>
                <td>{row.type}</td>
                <td class="wrap">{row.error}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

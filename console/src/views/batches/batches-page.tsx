import { listBatches } from '../../api/registry';
import { usePages } from '../../hooks/use-pages';
import { href } from '../../router';
import { formatNumber } from '../../ui/format';
import { LoadMore } from '../../ui/load-more';
import { Page } from '../../ui/page';
import { Status } from '../../ui/status';
import { Time } from '../../ui/time';
import { Upload } from './upload';

/** Batches: the upload, and every batch newest first. */
export function BatchesPage() {
  const pages = usePages(async (cursor) => {
    const page = await listBatches(cursor);
    return { items: page.batches, cursor: page.cursor };
  }, 'batches');
  return (
    <Page title="Batches">
      <Upload />
      <section aria-labelledby="batches-heading">
        <h2 id="batches-heading">Batches, newest first</h2>
        {!pages.loading && !pages.error && pages.items.length === 0 && <p>No batch yet.</p>}
        {pages.items.length > 0 && (
          <table>
            <caption>{pages.items.length} shown</caption>
            <thead>
              <tr>
                <th scope="col">Batch</th>
                <th scope="col">State</th>
                <th scope="col">Source</th>
                <th scope="col">Rows done</th>
                <th scope="col">Failed</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {pages.items.map((batch) => (
                <tr key={batch.id}>
                  <th scope="row">
                    <a href={href.batch(batch.id)}>
                      <code>{batch.id}</code>
                    </a>
                  </th>
                  <td>
                    <Status value={batch.state} />
                  </td>
                  <td>{batch.source}</td>
                  <td>
                    {formatNumber(batch.succeeded + batch.failed)}
                    {batch.total !== undefined && ` of ${formatNumber(batch.total)}`}
                  </td>
                  <td>{formatNumber(batch.failed)}</td>
                  <td>
                    <Time value={batch.createdAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <LoadMore pages={pages} what="batches" />
      </section>
    </Page>
  );
}

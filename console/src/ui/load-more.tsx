import type { Pages } from '../hooks/use-pages';
import { ErrorAlert } from './error-alert';

/**
 * The end of a paged list: its error, and a "Load more" button while the registry has more. The button stays
 * focusable while its page loads (`aria-disabled`, not `disabled`), so keyboard focus is not thrown back to the page.
 */
export function LoadMore({ pages, what }: { pages: Pages<unknown>; what: string }) {
  return (
    <>
      <ErrorAlert error={pages.error} />
      {pages.hasMore && (
        <button
          type="button"
          class="load-more"
          aria-disabled={pages.loading}
          onClick={() => {
            if (!pages.loading) pages.loadMore();
          }}
        >
          {pages.loading ? 'Loading…' : `Load more ${what}`}
        </button>
      )}
      {!pages.hasMore && pages.loading && <p class="muted">Loading…</p>}
    </>
  );
}

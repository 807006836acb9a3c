import type { ComponentChildren } from 'preact';

/** One setting or figure: its name, its value, and a note saying where the value comes from. */
export interface KeyValue {
  term: string;
  value: ComponentChildren;
  note?: string;
}

/** Settings or figures as a description list. */
export function KeyValues({ entries }: { entries: (KeyValue | false | undefined)[] }) {
  return (
    <dl class="key-values">
      {entries.map(
        (entry) =>
          entry && (
            <div key={entry.term}>
              <dt>{entry.term}</dt>
              <dd>
                {entry.value}
                {entry.note && <span class="note"> ({entry.note})</span>}
              </dd>
            </div>
          ),
      )}
    </dl>
  );
}

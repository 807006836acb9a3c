import { useEffect, useState } from 'preact/hooks';

/** Copies `text` to the clipboard, and says so (or why not) in a status next to it. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [outcome, setOutcome] = useState('');
  useEffect(() => {
    if (!outcome) return;
    const timer = window.setTimeout(() => setOutcome(''), 4000);
    return () => window.clearTimeout(timer);
  }, [outcome]);
  const copy = () =>
    navigator.clipboard.writeText(text).then(
      () => setOutcome('Copied.'),
      (error: Error) => setOutcome(`Could not copy: ${error.message}. Select the text and copy it instead.`),
    );
  return (
    <span class="copy">
      <button type="button" onClick={copy}>
        {label}
      </button>
      <span role="status" class="copy-outcome">
        {outcome}
      </span>
    </span>
  );
}

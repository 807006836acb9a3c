import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';
import { useLatest } from '../hooks/use-latest';

/**
 * A modal dialog (the browser's own `<dialog>`): it takes the focus, keeps it inside, closes on Escape, and gives the
 * focus back to where it was when it goes.
 */
export function Dialog({
  title,
  onClose,
  children,
}: {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const close = useLatest(onClose);
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
    const dialog = ref.current;
    dialog?.showModal();
    const closed = () => close.current();
    dialog?.addEventListener('close', closed);
    return () => {
      dialog?.removeEventListener('close', closed);
      if (dialog?.open) dialog.close();
      opener?.focus();
    };
  }, [close]);
  return (
    <dialog ref={ref} class="dialog" aria-labelledby={titleId}>
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}

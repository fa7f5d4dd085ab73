import { useEffect, useRef, useState } from 'preact/hooks';

/**
 * A modal confirmation (the native <dialog>: focus moves into it, Escape cancels, the page behind is inert). With
 * `reasonLabel` it asks for a reason first, for actions the audit trail should explain (discard, terminate).
 */
export function ConfirmDialog(props: {
  title: string;
  message: string;
  confirmLabel: string;
  reasonLabel?: string;
  danger?: boolean;
  onConfirm: (reason: string) => void;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);
  const needsReason = !!props.reasonLabel;
  return (
    <dialog ref={dialog} class="dialog" aria-labelledby="confirm-title" onClose={props.onClose}>
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          if (needsReason && !reason.trim()) return;
          props.onConfirm(reason.trim());
          dialog.current?.close();
        }}
      >
        <h2 id="confirm-title">{props.title}</h2>
        <p>{props.message}</p>
        {needsReason && (
          <p>
            <label for="confirm-reason">{props.reasonLabel}</label>
            <textarea
              id="confirm-reason"
              required
              rows={3}
              maxLength={500}
              value={reason}
              onInput={(event) => setReason(event.currentTarget.value)}
            />
          </p>
        )}
        <div class="actions">
          <button type="submit" class={props.danger ? 'danger' : 'primary'} disabled={needsReason && !reason.trim()}>
            {props.confirmLabel}
          </button>
          <button type="button" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}

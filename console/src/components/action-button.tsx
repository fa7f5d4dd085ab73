import { useState } from 'preact/hooks';
import { describeFailure, type ApiResult } from '../api/client';
import { useConsole } from '../context';
import { ConfirmDialog } from './confirm-dialog';

/**
 * A button that runs one admin action, optionally after a confirmation (and a reason), then says what happened next
 * to it and to screen readers. Disabled for a reader without the admin role.
 */
export function ActionButton(props: {
  label: string;
  run: (reason: string) => Promise<ApiResult<unknown>>;
  done: string;
  confirm?: { title: string; message: string; reasonLabel?: string };
  danger?: boolean;
  onDone?: () => void;
}) {
  const { canAct, announce } = useConsole();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const [confirming, setConfirming] = useState(false);

  const go = async (reason: string) => {
    setBusy(true);
    setOutcome(null);
    const result = await props.run(reason);
    const next =
      result.kind === 'ok'
        ? { ok: true, text: props.done }
        : { ok: false, text: `${props.label}: ${describeFailure(result)}` };
    setOutcome(next);
    setBusy(false);
    announce(next.text);
    if (result.kind === 'ok') props.onDone?.();
  };

  return (
    <span class="action">
      <button
        type="button"
        class={props.danger ? 'danger' : 'primary'}
        disabled={busy || !canAct}
        title={canAct ? undefined : 'needs the JML.Admin role'}
        onClick={() => (props.confirm ? setConfirming(true) : void go(''))}
      >
        {busy ? `${props.label}…` : props.label}
      </button>
      {outcome && <span class={outcome.ok ? 'ok' : 'error'}>{outcome.text}</span>}
      {confirming && props.confirm && (
        <ConfirmDialog
          {...props.confirm}
          confirmLabel={props.label}
          danger={props.danger}
          onConfirm={(reason) => void go(reason)}
          onClose={() => setConfirming(false)}
        />
      )}
    </span>
  );
}

import { useState } from 'preact/hooks';
import type { DryRunResult } from '@realmgate/client';
import { describeError } from './format';

/** A write the user is shown as its dry run before confirming it. */
export interface PreviewedWrite {
  /** heads the preview: what the write would change */
  title: string;
  /** the confirming button's text */
  confirmLabel: string;
  apply: () => Promise<{ revision: number }>;
  /** the notice once applied */
  done: (revision: number) => string;
}

export interface PendingWrite extends PreviewedWrite {
  result: DryRunResult;
}

/**
 * Preview before apply: `preview` runs the dry run and keeps it pending; `confirm` applies it, says
 * so, and calls `onApplied` (to reload what the view shows); `cancel` drops it. A failure of either
 * step is kept in `error`.
 */
export function usePreviewedWrite(onApplied: () => void) {
  const [pending, setPending] = useState<PendingWrite>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();

  const preview = async (write: PreviewedWrite, dryRun: () => Promise<DryRunResult>) => {
    setNotice(undefined);
    try {
      setPending({ ...write, result: await dryRun() });
      setError(undefined);
    } catch (err) {
      setPending(undefined);
      setError(describeError(err));
    }
  };
  const confirm = async () => {
    if (!pending) return;
    try {
      const written = await pending.apply();
      setNotice(pending.done(written.revision));
      setPending(undefined);
      setError(undefined);
      onApplied();
    } catch (err) {
      setError(describeError(err));
    }
  };
  return { pending, error, notice, preview, confirm, cancel: () => setPending(undefined) };
}

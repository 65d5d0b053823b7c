import type { DryRunResult } from '@realmgate/client';
import { isWildcard } from '../tags';
import type { PendingWrite } from '../usePreviewedWrite';

/** What a write would change, from its dry run: who gains and who loses which permission where. */
export function EffectPreview({ result, title }: { result: DryRunResult; title: string }) {
  const { effect, changes } = result;
  const list = (entries: DryRunResult['effect']['granted'], kind: 'gains' | 'loses') => (
    <div class="scroll" tabIndex={0} role="region" aria-label={`Who ${kind}`}>
      <table class={`effect ${kind}`}>
        <caption>
          {kind === 'gains' ? 'Gained' : 'Lost'} ({kind === 'gains' ? effect.grantedCount : effect.revokedCount})
        </caption>
        <thead>
          <tr>
            <th scope="col">User</th>
            <th scope="col">Org</th>
            <th scope="col">Permission</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={`${e.user}|${e.org}|${e.permission}`}>
              <td>{e.user}</td>
              <td>{e.org ?? '(realm level)'}</td>
              <td>
                <code>{e.permission}</code>
                {isWildcard(e.permission) && <span class="badge wildcard">wildcard</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
  return (
    <section class="preview" aria-labelledby="preview-title" data-testid="preview">
      <h3 id="preview-title">{title}</h3>
      <p>
        At revision {result.revision}: {changes.created} record(s) created, {changes.updated} replaced, {changes.deleted} deleted;{' '}
        <strong>{effect.grantedCount} permission(s) gained</strong>, <strong>{effect.revokedCount} lost</strong>.
        {result.truncated && ' The lists below are cut short.'}
      </p>
      {effect.granted.length > 0 && list(effect.granted, 'gains')}
      {effect.revoked.length > 0 && list(effect.revoked, 'loses')}
    </section>
  );
}

/** A pending write's effect, with the buttons that apply it or drop it. */
export function ConfirmWrite({ pending, onConfirm, onCancel }: { pending: PendingWrite; onConfirm: () => void; onCancel: () => void }) {
  return (
    <div class="confirm">
      <EffectPreview result={pending.result} title={pending.title} />
      <button type="button" onClick={onConfirm}>
        {pending.confirmLabel}
      </button>
      <button type="button" class="secondary" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}

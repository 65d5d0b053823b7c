import { splitList, tagProblems } from '../tags';

/** A list of permission tags, checked against realmgate's rules as it is typed. */
export function TagInput(props: { id: string; label: string; value: string; onInput: (v: string) => void; disabled?: boolean }) {
  const problems = tagProblems(splitList(props.value));
  const help = `${props.id}-help`;
  const errors = `${props.id}-errors`;
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <p id={help} class="hint">
        Separated by spaces, commas or new lines; <code>*</code> stands for one or more characters other than <code>: . ;</code>
      </p>
      <textarea
        id={props.id}
        rows={3}
        value={props.value}
        disabled={props.disabled}
        aria-invalid={problems.length > 0}
        aria-describedby={problems.length > 0 ? `${help} ${errors}` : help}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
      {problems.length > 0 && (
        <ul id={errors} class="error" aria-live="polite">
          {problems.map((p, i) => (
            <li key={i}>
              {p.tag ? <code>{p.tag}</code> : null} {p.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export const tagsValid = (text: string): boolean => tagProblems(splitList(text)).length === 0;

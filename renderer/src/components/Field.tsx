// A labelled form control with its hint, its error (why the value is refused) and a warning,
// wired up with aria-describedby / aria-invalid so a screen reader reads them with the control.
import type { ReactNode } from 'react';

export interface FieldProps {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  warning?: string | null;
  dirty?: boolean;
  children: (aria: {
    id: string;
    'aria-describedby': string | undefined;
    'aria-invalid': boolean;
  }) => ReactNode;
}

export function Field(props: FieldProps) {
  const ids = [
    props.hint ? `${props.id}-hint` : null,
    props.error ? `${props.id}-error` : null,
    props.warning ? `${props.id}-warning` : null,
  ].filter((x): x is string => x !== null);
  return (
    <div className={`field ${props.error ? 'field-invalid' : ''}`}>
      <label htmlFor={props.id}>
        {props.label}
        {props.dirty ? (
          <span className="dirty-mark" title="changed, not saved">
            {' '}
            (changed)
          </span>
        ) : null}
      </label>
      {props.children({
        id: props.id,
        'aria-describedby': ids.length > 0 ? ids.join(' ') : undefined,
        'aria-invalid': Boolean(props.error),
      })}
      {props.hint ? (
        <div id={`${props.id}-hint`} className="hint">
          {props.hint}
        </div>
      ) : null}
      {props.error ? (
        <div id={`${props.id}-error`} className="field-error">
          <span aria-hidden="true">✕ </span>
          {props.error}
        </div>
      ) : null}
      {props.warning ? (
        <div id={`${props.id}-warning`} className="field-warning">
          <span aria-hidden="true">! </span>
          {props.warning}
        </div>
      ) : null}
    </div>
  );
}

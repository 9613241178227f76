interface Props {
  error: string | null | undefined;
  busy: boolean;
  /** The submit button's label, and while the request runs. */
  submit: string;
  busyLabel: string;
  onCancel(): void;
}

/** A dialog form's last lines: its error, Cancel, and a submit button that shows the request running. */
export function FormFooter({ error, busy, submit, busyLabel, onCancel }: Props) {
  return (
    <>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="room-dialog-actions">
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? busyLabel : submit}
        </button>
      </div>
    </>
  );
}

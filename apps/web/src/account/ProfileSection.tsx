import { DISPLAY_NAME_MAX, STATUS_TEXT_MAX, updateProfileInput } from '@chat/api/schemas';
import { lazy, type FormEvent, Suspense, useId, useMemo, useState } from 'react';
import { type RouterOutputs, trpc } from '../api/trpc';
import { EXPIRY_CHOICES, type ExpiryChoice, statusExpiry, statusShows } from '../people/status-expiry';

// The reaction picker (frimousse), loaded when first opened; rendered inside the dialog, since a modal
// dialog sits above anything portalled to <body>.
const ReactionPicker = lazy(() => import('../reactions/ReactionPicker').then((m) => ({ default: m.ReactionPicker })));

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
const zones = () => {
  const all = Intl.supportedValuesOf('timeZone');
  return all.includes('UTC') ? all : ['UTC', ...all];
};

/** Display name, status (emoji, text, how long) and time zone, saved together. */
export function ProfileSection({ me }: { me: RouterOutputs['auth']['me'] }) {
  const ids = useId();
  const utils = trpc.useUtils();
  const update = trpc.user.updateProfile.useMutation();
  const current = statusShows(me.status) ? me.status : undefined;
  const [name, setName] = useState(me.displayName ?? '');
  const [text, setText] = useState(current?.text ?? '');
  const [emoji, setEmoji] = useState<string | null>(current?.emoji ?? null);
  // A status that is kept as it is keeps its expiry; a new one lasts an hour unless chosen otherwise.
  const [expiry, setExpiry] = useState<ExpiryChoice | 'keep'>(current ? (current.expiresAt ? 'keep' : 'never') : '1h');
  const [zone, setZone] = useState(me.timeZone ?? browserZone());
  const [picking, setPicking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const zoneList = useMemo(zones, []);

  const save = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const hasStatus = text.trim() !== '' || emoji !== null;
    const expiresAt = expiry === 'keep' ? (current?.expiresAt ?? null) : statusExpiry(expiry);
    const parsed = updateProfileInput.safeParse({
      displayName: name,
      status: hasStatus ? { text, emoji, expiresAt } : null,
      timeZone: zone,
    });
    if (!parsed.success) return setError(parsed.error.issues[0]?.message ?? 'Check the profile.');
    setError(null);
    update.mutate(
      { displayName: name, status: hasStatus ? { text, emoji, expiresAt } : null, timeZone: zone },
      {
        onSuccess: () => {
          setSaved(true);
          void utils.auth.me.invalidate();
        },
        onError: (failure) => setError(failure.message),
      },
    );
  };

  return (
    <form className="profile-form" onSubmit={save} noValidate>
      <div className="account-field">
        <label htmlFor={`${ids}-name`}>Display name</label>
        <input id={`${ids}-name`} value={name} maxLength={DISPLAY_NAME_MAX} placeholder={me.username} autoComplete="nickname" onChange={(e) => setName(e.target.value)} />
        <span className="field-hint">Shown beside your messages; people still see @{me.username} on your profile.</span>
      </div>
      <div className="account-field">
        <label htmlFor={`${ids}-status`}>Status</label>
        <div className="status-row">
          <button type="button" className="btn btn-secondary status-emoji" aria-label={emoji ? `Status emoji ${emoji}; change it` : 'Pick a status emoji'} aria-expanded={picking} onClick={() => setPicking((p) => !p)}>
            {emoji ?? '🙂'}
          </button>
          <input id={`${ids}-status`} value={text} maxLength={STATUS_TEXT_MAX} placeholder="What’s your status?" onChange={(e) => setText(e.target.value)} />
        </div>
        {picking && (
          <div className="status-picker">
            <Suspense fallback={<p className="muted small">Loading emoji…</p>}>
              <ReactionPicker
                onPick={(picked) => {
                  setEmoji(picked);
                  setPicking(false);
                }}
                onClose={() => setPicking(false)}
              />
            </Suspense>
          </div>
        )}
        <div className="status-row">
          <label htmlFor={`${ids}-expiry`} className="field-hint">
            Clear after
          </label>
          <select id={`${ids}-expiry`} value={expiry} onChange={(e) => setExpiry(e.target.value as ExpiryChoice | 'keep')}>
            {expiry === 'keep' && current?.expiresAt && <option value="keep">As set (until {new Date(current.expiresAt).toLocaleString()})</option>}
            {EXPIRY_CHOICES.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
          {(text !== '' || emoji !== null) && (
            <button type="button" className="btn btn-ghost btn-small" onClick={() => (setText(''), setEmoji(null))}>
              Clear status
            </button>
          )}
        </div>
      </div>
      <div className="account-field">
        <label htmlFor={`${ids}-zone`}>Time zone</label>
        <select id={`${ids}-zone`} value={zone} onChange={(e) => setZone(e.target.value)}>
          {!zoneList.includes(zone) && <option value={zone}>{zone}</option>}
          {zoneList.map((z) => (
            <option key={z} value={z}>
              {z.replaceAll('_', ' ')}
            </option>
          ))}
        </select>
        <span className="field-hint">Others see your local time on your profile.</span>
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {saved && <p role="status" className="small">Profile saved.</p>}
      <div className="account-dialog-actions">
        <button type="submit" className="btn btn-primary" disabled={update.isPending}>
          {update.isPending ? 'Saving…' : 'Save profile'}
        </button>
      </div>
    </form>
  );
}

import { Fragment } from 'react';
import { RoomDialog } from '../ui/RoomDialog';
import { SHORTCUTS } from './shortcuts';
import './ShortcutsDialog.css';

/** The list of keyboard shortcuts, opened by ? or Ctrl+/ (use-shortcut-keys) and from the people panel. */
export function ShortcutsDialog({ onClose }: { onClose(): void }) {
  return (
    <RoomDialog title="Keyboard shortcuts" onClose={onClose}>
      {(close) => (
        <div className="shortcuts">
          {SHORTCUTS.map((group) => (
            <section key={group.where} aria-label={group.where}>
              <h3>{group.where}</h3>
              <dl>
                {group.shortcuts.map((s) => (
                  <div key={group.where + s.does}>
                    <dt>
                      {s.keys.map((combo, i) => (
                        <Fragment key={combo.join('+')}>
                          {i > 0 && <span className="shortcut-or"> or </span>}
                          {combo.map((k, j) => (
                            <Fragment key={k}>
                              {j > 0 && ' + '}
                              <kbd>{k}</kbd>
                            </Fragment>
                          ))}
                        </Fragment>
                      ))}
                    </dt>
                    <dd>{s.does}</dd>
                  </div>
                ))}
              </dl>
            </section>
          ))}
          <div className="room-dialog-actions">
            <button type="button" className="btn btn-primary" onClick={close} autoFocus>
              Close
            </button>
          </div>
        </div>
      )}
    </RoomDialog>
  );
}

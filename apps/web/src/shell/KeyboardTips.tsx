/** A quiet pointer to the shortcut list, for keyboards only: hidden on phones and touch screens (ChatScreen.css). */
export function KeyboardTips({ onShowAll }: { onShowAll(): void }) {
  return (
    <section className="tips" aria-labelledby="tips-title">
      <h2 id="tips-title" className="panel-title">
        Keys
      </h2>
      <dl>
        <div>
          <dt>
            <kbd>↑</kbd> <kbd>↓</kbd>
          </dt>
          <dd>Move between messages</dd>
        </div>
        <div>
          <dt>
            <kbd>Shift</kbd> + <kbd>Enter</kbd>
          </dt>
          <dd>New line</dd>
        </div>
      </dl>
      <button type="button" className="btn btn-ghost btn-small" onClick={onShowAll}>
        All shortcuts <kbd>?</kbd>
      </button>
    </section>
  );
}

/** A quiet reminder of the keys the chat answers to. */
export function KeyboardTips() {
  return (
    <section className="tips" aria-labelledby="tips-title">
      <h2 id="tips-title" className="panel-title">
        Keys
      </h2>
      <dl>
        <div>
          <dt>
            <kbd>Enter</kbd>
          </dt>
          <dd>Send</dd>
        </div>
        <div>
          <dt>
            <kbd>Shift</kbd> + <kbd>Enter</kbd>
          </dt>
          <dd>New line</dd>
        </div>
        <div>
          <dt>
            <kbd>↑</kbd> <kbd>↓</kbd>
          </dt>
          <dd>Move through people found</dd>
        </div>
        <div>
          <dt>
            <kbd>→</kbd> <kbd>Enter</kbd>
          </dt>
          <dd>Message them</dd>
        </div>
        <div>
          <dt>
            <kbd>Esc</kbd>
          </dt>
          <dd>Clear the search</dd>
        </div>
      </dl>
    </section>
  );
}

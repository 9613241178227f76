/** A link to a room that does not exist or that the user may not see: one answer for both, as the server gives. */
export function RoomNotFound({ onHome }: { onHome(): void }) {
  return (
    <div className="room-not-found" role="alert">
      <h1 id="room-title">Room not found</h1>
      <p className="muted">This room does not exist, or you do not have access to it.</p>
      <button type="button" className="btn btn-primary" onClick={onHome}>
        Go to #everyone
      </button>
    </div>
  );
}

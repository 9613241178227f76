/** Where this browser keeps its signed-in session (session-store.ts reads and writes it; boot.ts only asks if it is there). */
export const SESSION_KEY = 'chat.session.v1';

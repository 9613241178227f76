import type { PublicUser } from '../api/trpc';

// What the signed-in shell shows around the open room: which panels and dialogs are open, the notice,
// the drafts per room. The room itself is the route's (use-room-route), the rooms and people the stream's.

export type ShellDialog = 'create' | 'browse' | 'invite' | 'edit' | 'shortcuts' | 'notifications' | 'new-message' | 'convert' | null;

/** A message shown in context (a search result, a notification); `nonce` repeats a jump to the same one. */
export interface JumpRequest {
  roomId: string;
  messageId: string;
  nonce: number;
}

export interface ShellState {
  /** The rooms sidebar and the people panel: sheets on a phone, at most one open at a time. */
  roomsOpen: boolean;
  peopleOpen: boolean;
  membersOpen: boolean;
  searchOpen: boolean;
  dialog: ShellDialog;
  notice: string | null;
  /** Bumped on resync: the open room is read afresh. */
  generation: number;
  jump: JumpRequest | null;
  /** The newest message of the open room, for screen readers. */
  announcement: string;
  /** Whether the user sees the open room's newest messages as they come; if not, they count as unread. */
  reading: boolean;
  /** Drafts per room: switching rooms keeps what was being written in each. */
  drafts: Readonly<Record<string, string>>;
  profile: PublicUser | null;
  /** The thread open beside the room (a sheet on a phone), by its root. */
  thread: { rootId: string; roomId: string } | null;
  /** The Threads view: followed threads, unread first. */
  threadsOpen: boolean;
}

export type ShellAction =
  /** A room was opened (route changed): its sheet and members panel close, the old notice goes. */
  | { type: 'room-opened' }
  | { type: 'jump-requested'; jump: JumpRequest }
  | { type: 'rooms-toggled' }
  | { type: 'people-toggled' }
  | { type: 'people-closed' }
  | { type: 'members-toggled' }
  /** Escape, or a tap on the scrim (which leaves the members panel as it is). */
  | { type: 'panels-closed'; members: boolean }
  | { type: 'search-toggled' }
  | { type: 'search-closed' }
  | { type: 'dialog-opened'; dialog: ShellDialog }
  | { type: 'notice-shown'; notice: string | null }
  | { type: 'resynced' }
  | { type: 'announced'; text: string }
  | { type: 'reading-changed'; reading: boolean }
  | { type: 'draft-changed'; roomId: string; draft: string }
  /** The outbox kept this text after all (the last page went before its draft was released): cleared if still shown. */
  | { type: 'draft-released'; roomId: string; draft: string }
  | { type: 'profile-shown'; profile: PublicUser | null }
  | { type: 'thread-opened'; rootId: string; roomId: string }
  | { type: 'thread-closed' }
  | { type: 'threads-toggled' }
  /** Another tab of the account saved a draft: these are all of them now. */
  | { type: 'drafts-synced'; drafts: Readonly<Record<string, string>> };

export const initialShellState: ShellState = {
  roomsOpen: false,
  peopleOpen: false,
  membersOpen: false,
  searchOpen: false,
  dialog: null,
  notice: null,
  generation: 0,
  jump: null,
  announcement: '',
  reading: true,
  drafts: {},
  profile: null,
  thread: null,
  threadsOpen: false,
};

/** The state with `changes` applied; the same object when nothing changes, so React skips the render as useState did. */
function patch(state: ShellState, changes: Partial<ShellState>): ShellState {
  const keys = Object.keys(changes) as (keyof ShellState)[];
  return keys.every((k) => Object.is(state[k], changes[k])) ? state : { ...state, ...changes };
}

export function shellReducer(state: ShellState, action: ShellAction): ShellState {
  switch (action.type) {
    case 'room-opened':
      return patch(state, { roomsOpen: false, membersOpen: false, notice: null, thread: null });
    case 'jump-requested':
      return patch(state, { jump: action.jump });
    case 'rooms-toggled':
      return patch(state, { roomsOpen: !state.roomsOpen, peopleOpen: false });
    case 'people-toggled':
      return patch(state, { peopleOpen: !state.peopleOpen, roomsOpen: false });
    case 'people-closed':
      return patch(state, { peopleOpen: false });
    case 'members-toggled':
      return patch(state, { membersOpen: !state.membersOpen });
    case 'panels-closed':
      return patch(state, action.members ? { roomsOpen: false, peopleOpen: false, membersOpen: false } : { roomsOpen: false, peopleOpen: false });
    case 'search-toggled':
      return patch(state, { searchOpen: !state.searchOpen });
    case 'search-closed':
      return patch(state, { searchOpen: false });
    case 'dialog-opened':
      return patch(state, { dialog: action.dialog });
    case 'notice-shown':
      return patch(state, { notice: action.notice });
    case 'resynced':
      return patch(state, { generation: state.generation + 1 });
    case 'announced':
      return patch(state, { announcement: action.text });
    case 'reading-changed':
      return patch(state, { reading: action.reading });
    case 'draft-changed':
      return state.drafts[action.roomId] === action.draft ? state : { ...state, drafts: { ...state.drafts, [action.roomId]: action.draft } };
    case 'draft-released': {
      if (state.drafts[action.roomId] !== action.draft) return state;
      const { [action.roomId]: _released, ...drafts } = state.drafts;
      return { ...state, drafts };
    }
    case 'drafts-synced':
      return { ...state, drafts: action.drafts };
    case 'profile-shown':
      return patch(state, { profile: action.profile });
    case 'thread-opened':
      return state.thread?.rootId === action.rootId ? patch(state, { threadsOpen: false }) : { ...state, thread: { rootId: action.rootId, roomId: action.roomId }, threadsOpen: false, peopleOpen: false };
    case 'thread-closed':
      return patch(state, { thread: null });
    case 'threads-toggled':
      return patch(state, { threadsOpen: !state.threadsOpen, thread: null, peopleOpen: false, roomsOpen: false });
  }
}

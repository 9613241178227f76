// What the chat screen opens but does not show at first (docs/decisions/164): each loads with its first use,
// so the signed-in first load neither fetches nor runs it. The service worker keeps them all for an offline start.
import { lazyComponent } from '../ui/lazy-component';

export const ThreadPanel = lazyComponent(() => import('../threads/ThreadPanel').then((m) => m.ThreadPanel));
export const ThreadsView = lazyComponent(() => import('../threads/ThreadsView').then((m) => m.ThreadsView));
export const PinnedPanel = lazyComponent(() => import('../pins/PinnedPanel').then((m) => m.PinnedPanel));
export const MessageSearch = lazyComponent(() => import('../search/MessageSearch').then((m) => m.MessageSearch));
export const ShortcutsDialog = lazyComponent(() => import('./ShortcutsDialog').then((m) => m.ShortcutsDialog));

export const CreateRoomDialog = lazyComponent(() => import('../rooms/CreateRoomDialog').then((m) => m.CreateRoomDialog));
export const BrowseRoomsDialog = lazyComponent(() => import('../rooms/BrowseRoomsDialog').then((m) => m.BrowseRoomsDialog));
export const InviteDialog = lazyComponent(() => import('../rooms/InviteDialog').then((m) => m.InviteDialog));
export const EditRoomDialog = lazyComponent(() => import('../rooms/EditRoomDialog').then((m) => m.EditRoomDialog));
export const ConvertGroupDialog = lazyComponent(() => import('../rooms/ConvertGroupDialog').then((m) => m.ConvertGroupDialog));
export const NewMessageDialog = lazyComponent(() => import('../rooms/NewMessageDialog').then((m) => m.NewMessageDialog));
export const RoomNotificationsDialog = lazyComponent(() => import('../rooms/RoomNotificationsDialog').then((m) => m.RoomNotificationsDialog));

/** Every key the chat answers to, grouped where it works: the one list the shortcut dialog shows. */
export interface Shortcut {
  /** Alternatives, each a list of keys pressed together. */
  keys: string[][];
  does: string;
}

export const SHORTCUTS: { where: string; shortcuts: Shortcut[] }[] = [
  {
    where: 'Anywhere',
    shortcuts: [
      { keys: [['?'], ['Ctrl', '/']], does: 'Show these shortcuts' },
      { keys: [['Tab']], does: 'From the top of the page: “Skip to composer”' },
      { keys: [['Esc']], does: 'Close a panel, a sheet or a dialog' },
    ],
  },
  {
    where: 'Writing',
    shortcuts: [
      { keys: [['Enter']], does: 'Send' },
      { keys: [['Shift', 'Enter']], does: 'New line' },
      { keys: [['↑']], does: 'In an empty box: edit your last message' },
      { keys: [['Esc']], does: 'Cancel a reply, or an edit' },
      { keys: [['Shift', 'Tab']], does: 'To the messages' },
    ],
  },
  {
    where: 'On a message',
    shortcuts: [
      { keys: [['↑'], ['↓']], does: 'Move between messages' },
      { keys: [['Home'], ['End']], does: 'Oldest loaded, newest' },
      { keys: [['Page Up'], ['Page Down']], does: 'A screenful up or down' },
      { keys: [['Enter']], does: 'Its actions (← → move along them)' },
      { keys: [['Esc']], does: 'Back from its actions to the message' },
      { keys: [['R']], does: 'Reply' },
      { keys: [['T']], does: 'Reply in thread' },
      { keys: [['E']], does: 'Edit your message' },
      { keys: [['+']], does: 'Add a reaction' },
      { keys: [['Delete']], does: 'Delete your message' },
    ],
  },
  {
    where: 'Finding people',
    shortcuts: [
      { keys: [['↑'], ['↓']], does: 'Move through people found' },
      { keys: [['→'], ['Enter']], does: 'Message them' },
      { keys: [['Esc']], does: 'Clear the search' },
    ],
  },
];

import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261123220940 } from './Migration20261123220940';
import { Migration20261129072316 } from './Migration20261129072316';
import { Migration20261129072446 } from './Migration20261129072446';
import { Migration20261129081258 } from './Migration20261129081258';
import { Migration20261129102048 } from './Migration20261129102048';
import { Migration20261129102735 } from './Migration20261129102735';
import { Migration20261129104500 } from './Migration20261129104500';
import { Migration20261129113553 } from './Migration20261129113553';
import { Migration20261206001029 } from './Migration20261206001029';
import { Migration20261206061951 } from './Migration20261206061951';
import { Migration20261206070000 } from './Migration20261206070000';
import { Migration20261206091000 } from './Migration20261206091000';
import { Migration20261206092000 } from './Migration20261206092000';
import { Migration20261206093000 } from './Migration20261206093000';
import { Migration20261206094000 } from './Migration20261206094000';
import { Migration20261206130000 } from './Migration20261206130000';
import { Migration20261206131000 } from './Migration20261206131000';
import { Migration20261206160000 } from './Migration20261206160000';
import { Migration20261206190000 } from './Migration20261206190000';
import { Migration20261206191000 } from './Migration20261206191000';

// Append new migrations here after `pnpm db:migration:create`.
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261123220940', class: Migration20261123220940 },
  // The sessions table (docs/decisions/030-sessions.md).
  { name: 'Migration20261129072316', class: Migration20261129072316 },
  { name: 'Migration20261129072446', class: Migration20261129072446 },
  // Rooms, memberships and the event log; existing messages move into #everyone (docs/decisions/070-event-model.md).
  { name: 'Migration20261129081258', class: Migration20261129081258 },
  // Moderation: roles, bans, mutes, registration setting, invites, audit log (docs/decisions/110-113).
  { name: 'Migration20261129102048', class: Migration20261129102048 },
  // Edits, deletes, replies, reactions, mentions and the full-text index (docs/decisions/100-message-lifecycle.md).
  { name: 'Migration20261129102735', class: Migration20261129102735 },
  // Each emoji keeps its place among a message's reactions while any remain.
  { name: 'Migration20261129104500', class: Migration20261129104500 },
  // Reports of messages to admins (docs/decisions/114-reports-and-moderator-deletes.md).
  { name: 'Migration20261129113553', class: Migration20261129113553 },
  // Channel names unique by skeleton; private room names no longer a shared namespace (docs/decisions/125-room-names.md).
  { name: 'Migration20261206001029', class: Migration20261206001029 },
  // Attachments and the queue of bytes to erase (docs/decisions/137-files-served-and-read.md).
  { name: 'Migration20261206061951', class: Migration20261206061951 },
  // A message's link preview card (docs/decisions/138-link-previews.md).
  { name: 'Migration20261206070000', class: Migration20261206070000 },
  // A link preview's image stored as a file of its message (docs/decisions/141-preview-images-stored.md).
  { name: 'Migration20261206091000', class: Migration20261206091000 },
  // Avatars; deleted accounts (docs/decisions/143-avatars.md, 144-account-deletion.md).
  { name: 'Migration20261206092000', class: Migration20261206092000 },
  // Threads: replies by root, root counters, follows and read marks (docs/decisions/145-threads.md).
  { name: 'Migration20261206093000', class: Migration20261206093000 },
  // Web Push subscriptions, per-room notification settings and a do-not-disturb schedule (docs/decisions/148, 149).
  { name: 'Migration20261206094000', class: Migration20261206094000 },
  // Group DMs and pinned messages (docs/decisions/153-group-dms.md, 154-pinned-messages.md).
  { name: 'Migration20261206130000', class: Migration20261206130000 },
  // Display names, statuses and time zones; each session's device (docs/decisions/155-profiles.md, 156).
  { name: 'Migration20261206131000', class: Migration20261206131000 },
  // Unread counts from an index of in-room messages with their authors (docs/decisions/163-years-of-data.md).
  { name: 'Migration20261206160000', class: Migration20261206160000 },
  // Event log retention: the job's horizon row and the index of what it keeps (docs/decisions/168-event-retention.md).
  { name: 'Migration20261206190000', class: Migration20261206190000 },
  // Thread replies by root from a partial index: most messages have no root (docs/decisions/163-years-of-data.md).
  { name: 'Migration20261206191000', class: Migration20261206191000 },
];

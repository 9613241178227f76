import type { Orm } from '@chat/db';
import type { EventBus } from '../bus/event-bus';
import type { Topic } from '../bus/topics';
import type { StoredEvent } from './stored-event';

// What an event feed promises (event-feed.ts, scoped-event-feed.ts) and what it is built from.

export interface EventFeed {
  /** Called in id order, each committed event exactly once. */
  subscribe(listener: (event: StoredEvent) => void): () => void;
  /** The id of the last event delivered to listeners (null before `ready`). */
  position(): string | null;
  /** Reads whatever was committed after the last delivered id (after a bus outage); retries by itself if that fails. */
  catchUp(): Promise<void>;
  /** Settles once the feed knows where the stream stands; serve subscribers after it. */
  ready: Promise<void>;
  /** True when the feed hears only the topics followed (a scoped bus, docs/decisions/158): a reader's must be followed before its sink collects. */
  scoped: boolean;
  /** This instance's readers want these topics' events; resolves once the feed hears them (at once when it hears everything). */
  follow(topics: Topic[]): Promise<void>;
  /** One `follow` of these ended: a topic nobody wants is dropped after a short linger. */
  unfollow(topics: Topic[]): void;
  /** For tests: the topics the feed hears now (empty when it hears everything). */
  followed(): Topic[];
  close(): void;
}

export interface EventFeedOptions {
  orm: Orm;
  bus: EventBus;
  /** While the bus is down, how often to read other instances' events from the database. */
  pollWhileUnhealthyMs?: number;
  /** With no bus event for this long, a `max(id)` query checks that no event was lost. */
  idleCheckMs?: number;
  /**
   * How long an event that arrived ahead of its predecessor waits for it on the bus before the gap
   * is read from the database. Appends commit in id order, but their answers (and other instances'
   * publishes) reach here in any order: a read per overtaking was most of the feed's database work.
   */
  reorderWaitMs?: number;
  /** Told of each read of a gap from the database (metrics). */
  onGapRead?: () => void;
  /** After a failed read: the first retry's delay, doubling up to `max`. */
  retryMs?: { min: number; max: number };
  /** Told of the first failed read of a streak (not of each retry). */
  onError?: (error: unknown) => void;
}

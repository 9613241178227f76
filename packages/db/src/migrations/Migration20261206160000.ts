import { Migration } from '@mikro-orm/migrations';

/**
 * Years of data (docs/decisions/163-years-of-data.md). Unread counts read an index alone: a room's
 * messages after a read mark, with their authors, no heap visit per message. `if not exists`: on a
 * large table, build it first with `create index concurrently` (writes go on) and this finds it.
 * Search: a larger sample of lexemes, so the planner knows a rare word's prefix is rare and takes
 * the GIN index (at the default it guessed 5,666 rows for 200 and scanned 10 million newest first).
 * Autovacuum by counts, not by a fifth of the table: index-only reads need the newest pages (the
 * unread ones) marked all-visible, which insert-driven vacuum does only after 20% new rows by default.
 */
export class Migration20261206160000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index if not exists "messages_room_unread_index" on "messages" ("room_id", "id") include ("author_id") where "in_room";`);
    this.addSql(`alter table "messages" alter column "search_vector" set statistics 1000;`);
    this.addSql(`analyze "messages";`);
    this.addSql(`alter table "messages" set (autovacuum_vacuum_insert_threshold = 20000, autovacuum_vacuum_insert_scale_factor = 0,
      autovacuum_vacuum_threshold = 20000, autovacuum_vacuum_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.02);`);
    this.addSql(`alter table "events" set (autovacuum_vacuum_insert_threshold = 20000, autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_scale_factor = 0.01);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "events" reset (autovacuum_vacuum_insert_threshold, autovacuum_vacuum_insert_scale_factor, autovacuum_vacuum_scale_factor);`);
    this.addSql(`alter table "messages" reset (autovacuum_vacuum_insert_threshold, autovacuum_vacuum_insert_scale_factor, autovacuum_vacuum_threshold,
      autovacuum_vacuum_scale_factor, autovacuum_analyze_scale_factor);`);
    this.addSql(`alter table "messages" alter column "search_vector" set statistics -1;`);
    this.addSql(`drop index if exists "messages_room_unread_index";`);
  }
}

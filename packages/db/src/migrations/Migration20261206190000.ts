import { Migration } from '@mikro-orm/migrations';

/**
 * Event log retention (docs/decisions/168-event-retention.md). `event_horizon` holds the one row the
 * job locks and moves: the highest id it has deleted through (0: nothing yet). The partial index
 * finds a message's message.edited/deleted/preview events, the ones the job keeps the newest of;
 * `if not exists`: on a large table, build it first with `create index concurrently`.
 */
export class Migration20261206190000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "event_horizon" ("id" smallint not null, "deleted_through" bigint not null default 0, "deleted_total" bigint not null default 0, "ran_at" timestamptz null, constraint "event_horizon_pkey" primary key ("id"));`);
    this.addSql(`insert into "event_horizon" ("id") values (1);`);
    this.addSql(
      `create index if not exists "events_message_state_index" on "events" ("message_id", "type", "id") where "type" in ('message.edited', 'message.deleted', 'message.preview');`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "events_message_state_index";`);
    this.addSql(`drop table if exists "event_horizon" cascade;`);
  }
}

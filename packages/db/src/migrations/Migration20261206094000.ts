import { Migration } from '@mikro-orm/migrations';

/**
 * Reaching people (issue 25): Web Push subscriptions per session (docs/decisions/148-web-push.md),
 * per-room notification levels and mutes, and a do-not-disturb schedule (docs/decisions/149).
 */
export class Migration20261206094000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "push_subscriptions" (
      "id" uuid not null, "user_id" uuid not null, "session_id" uuid not null, "endpoint" text not null,
      "p256dh" varchar(128) not null, "auth" varchar(64) not null, "created_at" timestamptz not null,
      constraint "push_subscriptions_pkey" primary key ("id"));`);
    this.addSql(`create index "push_subscriptions_user_id_index" on "push_subscriptions" ("user_id");`);
    this.addSql(`create index "push_subscriptions_session_id_index" on "push_subscriptions" ("session_id");`);
    this.addSql(`alter table "push_subscriptions" add constraint "push_subscriptions_endpoint_unique" unique ("endpoint");`);
    this.addSql(`alter table "push_subscriptions" add constraint "push_subscriptions_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "push_subscriptions" add constraint "push_subscriptions_session_id_foreign" foreign key ("session_id") references "sessions" ("id") on update cascade on delete cascade;`);

    this.addSql(`create table "room_notification_settings" (
      "user_id" uuid not null, "room_id" uuid not null, "level" varchar(16) not null, "muted_until" timestamptz null,
      constraint "room_notification_settings_pkey" primary key ("user_id", "room_id"));`);
    this.addSql(`alter table "room_notification_settings" add constraint "room_notification_settings_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "room_notification_settings" add constraint "room_notification_settings_room_id_foreign" foreign key ("room_id") references "rooms" ("id") on update cascade on delete cascade;`);

    this.addSql(`create table "notification_schedules" (
      "user_id" uuid not null, "dnd_start_minute" smallint not null, "dnd_end_minute" smallint not null, "time_zone" varchar(64) not null,
      constraint "notification_schedules_pkey" primary key ("user_id"));`);
    this.addSql(`alter table "notification_schedules" add constraint "notification_schedules_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "notification_schedules" cascade;`);
    this.addSql(`drop table if exists "room_notification_settings" cascade;`);
    this.addSql(`drop table if exists "push_subscriptions" cascade;`);
  }
}

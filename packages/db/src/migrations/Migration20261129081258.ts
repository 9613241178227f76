import { Migration } from '@mikro-orm/migrations';

const EVERYONE_ROOM_ID = '00000000-0000-4000-8000-000000000001';

/**
 * Rooms, memberships and the event log (docs/decisions/070-event-model.md). Every existing message
 * moves into #everyone and every existing account becomes its member, from before the first
 * event (joined_event_id 0) and with everything so far read.
 */
export class Migration20261129081258 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "rooms" ("id" uuid not null, "kind" varchar(16) not null, "name" varchar(32) not null, "name_key" varchar(32) null, "topic" text null, "created_by_id" uuid null, "created_at" timestamptz not null, "dm_key" varchar(80) null, "member_count" int not null default 0, constraint "rooms_pkey" primary key ("id"));`);
    this.addSql(`alter table "rooms" add constraint "rooms_name_key_unique" unique ("name_key");`);
    this.addSql(`alter table "rooms" add constraint "rooms_dm_key_unique" unique ("dm_key");`);

    this.addSql(`create table "room_members" ("id" bigserial primary key, "room_id" uuid not null, "user_id" uuid not null, "joined_event_id" bigint not null, "left_event_id" bigint null, "joined_at" timestamptz not null, "last_read_message_id" bigint null);`);
    this.addSql(`create index "room_members_user_room_index" on "room_members" ("user_id", "room_id", "joined_event_id");`);
    this.addSql(`create unique index "room_members_current_unique" on "room_members" ("room_id", "user_id") where "left_event_id" is null;`);

    this.addSql(`create table "events" ("id" bigserial primary key, "type" varchar(32) not null, "room_id" uuid not null, "user_id" uuid null, "actor_id" uuid null, "message_id" bigint null, "payload" jsonb null, "created_at" timestamptz not null);`);
    this.addSql(`create index "events_room_id_id_index" on "events" ("room_id", "id");`);

    this.addSql(`alter table "rooms" add constraint "rooms_created_by_id_foreign" foreign key ("created_by_id") references "users" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "room_members" add constraint "room_members_room_id_foreign" foreign key ("room_id") references "rooms" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "room_members" add constraint "room_members_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "events" add constraint "events_room_id_foreign" foreign key ("room_id") references "rooms" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "messages" drop constraint "messages_author_client_message_id_unique";`);

    this.addSql(`insert into "rooms" ("id", "kind", "name", "name_key", "topic", "created_at", "member_count") values ('${EVERYONE_ROOM_ID}', 'channel', 'everyone', 'everyone', null, now(), (select count(*) from "users"));`);
    this.addSql(`insert into "room_members" ("room_id", "user_id", "joined_event_id", "joined_at", "last_read_message_id") select '${EVERYONE_ROOM_ID}', "id", 0, "created_at", (select max("id") from "messages") from "users";`);

    this.addSql(`alter table "messages" add column "room_id" uuid not null default '${EVERYONE_ROOM_ID}';`);
    this.addSql(`alter table "messages" alter column "room_id" drop default;`);
    this.addSql(`alter table "messages" add constraint "messages_room_id_foreign" foreign key ("room_id") references "rooms" ("id") on update cascade on delete cascade;`);
    this.addSql(`create index "messages_room_id_id_index" on "messages" ("room_id", "id");`);
    this.addSql(`alter table "messages" add constraint "messages_author_room_client_message_id_unique" unique ("author_id", "room_id", "client_message_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "room_members" drop constraint "room_members_room_id_foreign";`);

    this.addSql(`alter table "events" drop constraint "events_room_id_foreign";`);

    this.addSql(`alter table "messages" drop constraint "messages_room_id_foreign";`);

    this.addSql(`drop table if exists "rooms" cascade;`);

    this.addSql(`drop table if exists "room_members" cascade;`);

    this.addSql(`drop table if exists "events" cascade;`);

    this.addSql(`drop index "messages_room_id_id_index";`);
    this.addSql(`alter table "messages" drop constraint "messages_author_room_client_message_id_unique";`);
    this.addSql(`alter table "messages" drop column "room_id";`);

    this.addSql(`alter table "messages" add constraint "messages_author_client_message_id_unique" unique ("author_id", "client_message_id");`);
  }

}

import { Migration } from '@mikro-orm/migrations';

/**
 * People (issue 25, part 1): group DMs are private rooms marked `is_group`, found again by the
 * sorted ids of their members (`group_key`, docs/decisions/153-group-dms.md); pinned messages per
 * room (docs/decisions/154-pinned-messages.md).
 */
export class Migration20261206130000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "rooms" add column "is_group" boolean not null default false, add column "group_key" varchar(300) null;`);
    this.addSql(`alter table "rooms" add constraint "rooms_group_key_unique" unique ("group_key");`);

    this.addSql(`create table "message_pins" (
      "message_id" bigint not null, "room_id" uuid not null, "pinned_by_id" uuid null, "pinned_at" timestamptz not null,
      constraint "message_pins_pkey" primary key ("message_id"));`);
    this.addSql(`create index "message_pins_room_id_pinned_at_index" on "message_pins" ("room_id", "pinned_at");`);
    this.addSql(`alter table "message_pins" add constraint "message_pins_message_id_foreign" foreign key ("message_id") references "messages" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "message_pins" add constraint "message_pins_room_id_foreign" foreign key ("room_id") references "rooms" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "message_pins" add constraint "message_pins_pinned_by_id_foreign" foreign key ("pinned_by_id") references "users" ("id") on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "message_pins" cascade;`);
    this.addSql(`alter table "rooms" drop constraint "rooms_group_key_unique";`);
    this.addSql(`alter table "rooms" drop column "is_group", drop column "group_key";`);
  }
}

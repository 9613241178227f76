import { Migration } from '@mikro-orm/migrations';

/**
 * Threads (docs/decisions/145-threads.md): a reply's root and whether it is also in the room, the
 * root's counters, and each user's follow and read mark per thread.
 */
export class Migration20261206093000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "thread_follows" ("root_id" bigint not null, "user_id" uuid not null, "following" boolean not null, "last_read_message_id" bigint null, constraint "thread_follows_pkey" primary key ("root_id", "user_id"));`);
    this.addSql(`create index "thread_follows_user_id_index" on "thread_follows" ("user_id", "root_id");`);

    this.addSql(`alter table "thread_follows" add constraint "thread_follows_root_id_foreign" foreign key ("root_id") references "messages" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "thread_follows" add constraint "thread_follows_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "messages" add column "thread_root_id" bigint null, add column "in_room" boolean not null default true, add column "thread_reply_count" int not null default 0, add column "thread_last_reply_at" timestamptz null, add column "thread_repliers" jsonb null;`);
    this.addSql(`alter table "messages" add constraint "messages_thread_root_id_foreign" foreign key ("thread_root_id") references "messages" ("id") on update cascade on delete cascade;`);
    this.addSql(`create index "messages_thread_root_id_id_index" on "messages" ("thread_root_id", "id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "thread_follows" cascade;`);

    this.addSql(`alter table "messages" drop constraint "messages_thread_root_id_foreign";`);

    this.addSql(`drop index "messages_thread_root_id_id_index";`);
    this.addSql(`alter table "messages" drop column "thread_root_id", drop column "in_room", drop column "thread_reply_count", drop column "thread_last_reply_at", drop column "thread_repliers";`);
  }

}

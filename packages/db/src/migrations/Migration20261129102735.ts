import { Migration } from '@mikro-orm/migrations';

export class Migration20261129102735 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "message_reactions" ("id" bigserial primary key, "message_id" bigint not null, "user_id" uuid not null, "emoji" varchar(64) not null, "created_at" timestamptz not null);`);
    this.addSql(`create index "message_reactions_message_id_id_index" on "message_reactions" ("message_id", "id");`);
    this.addSql(`alter table "message_reactions" add constraint "message_reactions_message_user_emoji_unique" unique ("message_id", "user_id", "emoji");`);

    this.addSql(`create table "message_mentions" ("message_id" bigint not null, "user_id" uuid not null, "position" smallint not null, constraint "message_mentions_pkey" primary key ("message_id", "user_id"));`);
    this.addSql(`create index "message_mentions_user_message_index" on "message_mentions" ("user_id", "message_id");`);

    this.addSql(`alter table "message_reactions" add constraint "message_reactions_message_id_foreign" foreign key ("message_id") references "messages" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "message_reactions" add constraint "message_reactions_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "message_mentions" add constraint "message_mentions_message_id_foreign" foreign key ("message_id") references "messages" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "message_mentions" add constraint "message_mentions_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "messages" add column "edited_at" timestamptz null, add column "deleted_at" timestamptz null, add column "deleted_by" varchar(16) null, add column "reply_to_id" bigint null, add column "search_vector" tsvector generated always as (to_tsvector('simple', text)) stored null;`);
    this.addSql(`alter table "messages" add constraint "messages_reply_to_id_foreign" foreign key ("reply_to_id") references "messages" ("id") on update cascade on delete set null;`);
    this.addSql(`create index "messages_search_vector_index" on "messages" using gin ("search_vector");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "message_reactions" cascade;`);

    this.addSql(`drop table if exists "message_mentions" cascade;`);

    this.addSql(`alter table "messages" drop constraint "messages_reply_to_id_foreign";`);

    this.addSql(`drop index "messages_search_vector_index";`);
    this.addSql(`alter table "messages" drop column "edited_at", drop column "deleted_at", drop column "deleted_by", drop column "reply_to_id", drop column "search_vector";`);
  }

}

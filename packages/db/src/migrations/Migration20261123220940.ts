import { Migration } from '@mikro-orm/migrations';

export class Migration20261123220940 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "users" ("id" uuid not null, "username" varchar(32) not null, "password_hash" text not null, "created_at" timestamptz not null, constraint "users_pkey" primary key ("id"));`);
    this.addSql(`create unique index "users_username_lower_unique" on "users" (lower("username"));`);

    this.addSql(`create table "messages" ("id" bigserial primary key, "author_id" uuid not null, "text" text not null, "client_message_id" varchar(64) null, "created_at" timestamptz not null);`);
    this.addSql(`alter table "messages" add constraint "messages_author_client_message_id_unique" unique ("author_id", "client_message_id");`);

    this.addSql(`alter table "messages" add constraint "messages_author_id_foreign" foreign key ("author_id") references "users" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "messages" drop constraint "messages_author_id_foreign";`);

    this.addSql(`drop table if exists "users" cascade;`);

    this.addSql(`drop table if exists "messages" cascade;`);
  }

}

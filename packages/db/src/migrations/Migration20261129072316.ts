import { Migration } from '@mikro-orm/migrations';

export class Migration20261129072316 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "sessions" ("id" uuid not null, "user_id" uuid not null, "token_id" uuid not null, "previous_token_id" uuid null, "rotated_at" timestamptz null, "created_at" timestamptz not null, "expires_at" timestamptz not null, "revoked_at" timestamptz null, "updated_at" timestamptz not null, constraint "sessions_pkey" primary key ("id"));`);
    this.addSql(`create index "sessions_user_id_index" on "sessions" ("user_id");`);
    this.addSql(`create index "sessions_updated_at_index" on "sessions" ("updated_at");`);

    this.addSql(`alter table "sessions" add constraint "sessions_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "sessions" cascade;`);
  }

}

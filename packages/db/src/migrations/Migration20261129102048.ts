import { Migration } from '@mikro-orm/migrations';

/**
 * Moderation (issue 16): roles, bans and mutes on users; the registration setting; invites and who
 * used them; the append-only audit log (docs/decisions/110-113).
 */
export class Migration20261129102048 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "audit_log" ("id" bigserial primary key, "actor_id" uuid null, "actor_name" varchar(32) null, "action" varchar(32) not null, "target_user_id" uuid null, "target_name" varchar(32) null, "reason" text null, "details" jsonb null, "created_at" timestamptz not null);`);

    this.addSql(`create table "server_settings" ("key" varchar(64) not null, "value" text not null, "updated_at" timestamptz not null, constraint "server_settings_pkey" primary key ("key"));`);

    this.addSql(`create table "invites" ("code" varchar(32) not null, "created_by_id" uuid not null, "uses" int not null, "used" int not null default 0, "expires_at" timestamptz not null, "revoked_at" timestamptz null, "created_at" timestamptz not null, constraint "invites_pkey" primary key ("code"));`);

    this.addSql(`create table "invite_uses" ("id" bigserial primary key, "invite_code" varchar(32) not null, "user_id" uuid not null, "used_at" timestamptz not null);`);
    this.addSql(`create index "invite_uses_invite_code_index" on "invite_uses" ("invite_code");`);

    this.addSql(`alter table "invites" add constraint "invites_created_by_id_foreign" foreign key ("created_by_id") references "users" ("id") on update cascade;`);

    this.addSql(`alter table "invite_uses" add constraint "invite_uses_invite_code_foreign" foreign key ("invite_code") references "invites" ("code") on update cascade on delete cascade;`);
    this.addSql(`alter table "invite_uses" add constraint "invite_uses_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "users" add column "role" varchar(16) not null default 'member', add column "banned_at" timestamptz null, add column "ban_reason" text null, add column "muted_until" timestamptz null;`);
    this.addSql(`alter table "users" add constraint "users_role_check" check ("role" in ('owner', 'admin', 'member'));`);

    // Append-only whatever the caller: the API offers no way to change the log, and neither does SQL.
    this.addSql(`create function "audit_log_append_only"() returns trigger language plpgsql as $$ begin raise exception 'audit_log is append-only'; end $$;`);
    this.addSql(`create trigger "audit_log_append_only" before update or delete on "audit_log" for each row execute function "audit_log_append_only"();`);
    this.addSql(`create trigger "audit_log_no_truncate" before truncate on "audit_log" for each statement execute function "audit_log_append_only"();`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "users" drop constraint "users_role_check";`);
    this.addSql(`alter table "invite_uses" drop constraint "invite_uses_invite_code_foreign";`);

    this.addSql(`drop table if exists "audit_log" cascade;`);
    this.addSql(`drop function if exists "audit_log_append_only"();`);

    this.addSql(`drop table if exists "server_settings" cascade;`);

    this.addSql(`drop table if exists "invites" cascade;`);

    this.addSql(`drop table if exists "invite_uses" cascade;`);

    this.addSql(`alter table "users" drop column "role", drop column "banned_at", drop column "ban_reason", drop column "muted_until";`);
  }

}

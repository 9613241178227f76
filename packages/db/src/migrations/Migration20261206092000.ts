import { Migration } from '@mikro-orm/migrations';

/**
 * Avatars and account deletion (issue 24, docs/decisions/143-avatars.md, 144-account-deletion.md).
 * `users.avatar_key` is the storage key of the current avatar (null: initials); an avatar upload is an
 * attachment with no room until `user.setAvatar` takes its bytes over. `deleted_at` marks an account
 * deleted: its row stays, anonymised, so its id and name are never reused.
 */
export class Migration20261206092000 extends Migration {
  override async up(): Promise<void> {
    await this.execute(`alter table "users" add column "avatar_key" varchar(32) null, add column "deleted_at" timestamptz null;`);
    await this.execute(`alter table "attachments" alter column "room_id" drop not null;`);
  }

  override async down(): Promise<void> {
    await this.execute(`delete from "attachments" where "room_id" is null;`);
    await this.execute(`alter table "attachments" alter column "room_id" set not null;`);
    await this.execute(`alter table "users" drop column "avatar_key", drop column "deleted_at";`);
  }
}

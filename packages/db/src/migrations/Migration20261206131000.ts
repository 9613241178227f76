import { Migration } from '@mikro-orm/migrations';

/**
 * Profiles (docs/decisions/155-profiles.md): display name, status and time zone on users; each session's
 * device label (docs/decisions/156-sessions-and-devices.md). All nullable: existing rows need nothing.
 */
export class Migration20261206131000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "users" add column "display_name" varchar(64) null, add column "status_text" varchar(100) null,
      add column "status_emoji" varchar(32) null, add column "status_expires_at" timestamptz null, add column "time_zone" varchar(64) null;`);
    this.addSql(`alter table "sessions" add column "device" varchar(64) null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "sessions" drop column "device";`);
    this.addSql(`alter table "users" drop column "display_name", drop column "status_text", drop column "status_emoji", drop column "status_expires_at", drop column "time_zone";`);
  }
}

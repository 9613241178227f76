import { Migration } from '@mikro-orm/migrations';

/**
 * Attachments and the erasure queue (issue 24, docs/decisions/137-files-served-and-read.md). A trigger
 * queues the bytes of every attachment row deleted, by any path (a message's delete, a ban's purge, a
 * sweep of unsent uploads, a cascade from a deleted account or room), in the deleting transaction: the
 * bytes are erased after the commit, and a failed erase stays queued for the next sweep.
 */
export class Migration20261206061951 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "file_erasures" ("id" varchar(32) not null, "created_at" timestamptz not null, constraint "file_erasures_pkey" primary key ("id"));`);

    this.addSql(`create table "attachments" ("id" varchar(32) not null, "uploader_id" uuid not null, "room_id" uuid not null, "message_id" bigint null, "position" smallint null, "status" varchar(16) not null, "name" varchar(255) not null, "type" varchar(127) null, "size" bigint not null, "kind" varchar(8) null, "width" int null, "height" int null, "animated" boolean null, "thumbnail" jsonb null, "created_at" timestamptz not null, constraint "attachments_pkey" primary key ("id"));`);
    this.addSql(`create index "attachments_uploader_id_index" on "attachments" ("uploader_id");`);
    this.addSql(`create index "attachments_message_id_index" on "attachments" ("message_id");`);
    this.addSql(`create index "attachments_unsent_index" on "attachments" ("created_at") where "message_id" is null;`);

    this.addSql(`alter table "attachments" add constraint "attachments_uploader_id_foreign" foreign key ("uploader_id") references "users" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "attachments" add constraint "attachments_room_id_foreign" foreign key ("room_id") references "rooms" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "attachments" add constraint "attachments_message_id_foreign" foreign key ("message_id") references "messages" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "attachments" add constraint "attachments_status_check" check ("status" in ('uploading', 'ready'));`);
    this.addSql(`alter table "attachments" add constraint "attachments_kind_check" check ("kind" in ('image', 'file'));`);

    this.addSql(`create function "queue_file_erasure"() returns trigger language plpgsql as $$
      begin
        insert into "file_erasures" ("id", "created_at") values (old."id", clock_timestamp()) on conflict do nothing;
        return old;
      end $$;`);
    this.addSql(`create trigger "attachments_queue_erasure" after delete on "attachments" for each row execute function "queue_file_erasure"();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "attachments" cascade;`);
    this.addSql(`drop function if exists "queue_file_erasure"();`);
    this.addSql(`drop table if exists "file_erasures" cascade;`);
  }

}

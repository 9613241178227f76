import { Migration } from '@mikro-orm/migrations';

/** Reports of messages to admins: one open report per reporter and message (docs/decisions/114-reports-and-moderator-deletes.md). */
export class Migration20261129113553 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "message_reports" ("id" bigserial primary key, "message_id" bigint not null, "reporter_id" uuid not null, "reason" text not null, "created_at" timestamptz not null, "resolved_at" timestamptz null, "resolved_by_id" uuid null, "resolution" varchar(16) null);`);
    this.addSql(`create index "message_reports_message_id_index" on "message_reports" ("message_id");`);
    // A retry of the same report finds the open one; a resolved report does not stop a new one.
    this.addSql(`create unique index "message_reports_open_unique" on "message_reports" ("message_id", "reporter_id") where "resolved_at" is null;`);
    this.addSql(`create index "message_reports_open_index" on "message_reports" ("id") where "resolved_at" is null;`);

    this.addSql(`alter table "message_reports" add constraint "message_reports_message_id_foreign" foreign key ("message_id") references "messages" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "message_reports" add constraint "message_reports_reporter_id_foreign" foreign key ("reporter_id") references "users" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "message_reports" add constraint "message_reports_resolved_by_id_foreign" foreign key ("resolved_by_id") references "users" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "message_reports" add constraint "message_reports_resolution_check" check ("resolution" in ('dismiss', 'delete'));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "message_reports" cascade;`);
  }

}

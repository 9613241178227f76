import { Migration } from '@mikro-orm/migrations';

/**
 * Thread replies by root from a partial index (docs/decisions/163-years-of-data.md, "Later"): only a
 * thread reply has a root, and every read by root says `thread_root_id = …` (the foreign key's
 * cascade too), which implies `is not null`, so the planner takes the partial index where it took
 * the whole one. A new name, so that on a large table it can be built first with `create index
 * concurrently` (writes go on) and `if not exists` then finds it; dropping the old one is instant.
 */
export class Migration20261206191000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index if not exists "messages_thread_replies_index" on "messages" ("thread_root_id", "id") where "thread_root_id" is not null;`);
    this.addSql(`drop index if exists "messages_thread_root_id_id_index";`);
  }

  override async down(): Promise<void> {
    this.addSql(`create index if not exists "messages_thread_root_id_id_index" on "messages" ("thread_root_id", "id");`);
    this.addSql(`drop index if exists "messages_thread_replies_index";`);
  }
}

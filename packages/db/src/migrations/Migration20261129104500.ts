import { Migration } from '@mikro-orm/migrations';

/** Reactions keep each emoji's place while any remain (message-reaction.entity.ts `emojiOrder`). */
export class Migration20261129104500 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "message_reactions" add column "emoji_order" bigint null;`);
    this.addSql(`update "message_reactions" r set "emoji_order" = (select min(x."id") from "message_reactions" x where x."message_id" = r."message_id" and x."emoji" = r."emoji");`);
    this.addSql(`alter table "message_reactions" alter column "emoji_order" set not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "message_reactions" drop column "emoji_order";`);
  }

}

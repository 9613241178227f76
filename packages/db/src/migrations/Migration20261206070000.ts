import { Migration } from '@mikro-orm/migrations';

/**
 * Link previews (docs/decisions/138-link-previews.md): a message's preview card, or the author's
 * "removed" mark, as one jsonb value; null while there is none. Deleting a message clears it.
 */
export class Migration20261206070000 extends Migration {
  override async up(): Promise<void> {
    await this.execute(`alter table "messages" add column "preview" jsonb null;`);
  }

  override async down(): Promise<void> {
    await this.execute(`alter table "messages" drop column "preview";`);
  }
}

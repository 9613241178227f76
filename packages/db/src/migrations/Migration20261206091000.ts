import { Migration } from '@mikro-orm/migrations';

/**
 * A link preview's image stored as an attachment row of its message with status 'preview'
 * (docs/decisions/141-preview-images-stored.md): read like the message's files, erased with it, never
 * listed among its attachments and never counted against anyone's quota.
 */
export class Migration20261206091000 extends Migration {
  override async up(): Promise<void> {
    await this.execute(`alter table "attachments" drop constraint "attachments_status_check";`);
    await this.execute(`alter table "attachments" add constraint "attachments_status_check" check ("status" in ('uploading', 'ready', 'preview'));`);
  }

  override async down(): Promise<void> {
    await this.execute(`delete from "attachments" where "status" = 'preview';`);
    await this.execute(`alter table "attachments" drop constraint "attachments_status_check";`);
    await this.execute(`alter table "attachments" add constraint "attachments_status_check" check ("status" in ('uploading', 'ready'));`);
  }
}

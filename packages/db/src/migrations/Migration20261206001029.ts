import { Migration } from '@mikro-orm/migrations';
import { usernameSkeleton } from '../username-skeleton';

/**
 * Room names (docs/decisions/125-room-names.md): private rooms leave the name namespace (a taken
 * name revealed a room the caller could not see), and channels get a skeleton column so
 * look-alikes ("generaI" next to "general") are one name. Existing channels get their skeleton in
 * creation order; a later channel whose name looks like an earlier one's keeps a NULL skeleton,
 * so the migration never fails on names already taken (as decision 040 does for usernames).
 */
export class Migration20261206001029 extends Migration {

  override async up(): Promise<void> {
    await this.execute(`alter table "rooms" add column "name_skeleton" text null;`);
    await this.execute(`update "rooms" set "name_key" = null where "kind" = 'private';`);

    const channels = (await this.execute(`select "id", "name" from "rooms" where "kind" = 'channel' order by "created_at", "id";`)) as Array<{ id: string; name: string }>;
    const claimed = new Set<string>();
    const rows: Array<{ id: string; skeleton: string }> = [];
    for (const { id, name } of channels) {
      const skeleton = usernameSkeleton(name);
      if (claimed.has(skeleton)) continue;
      claimed.add(skeleton);
      rows.push({ id, skeleton });
    }
    // One statement: channels are few (each is made by hand), unlike the users of decision 040.
    if (rows.length > 0) {
      await this.execute(
        `update "rooms" set "name_skeleton" = v."skeleton"
           from json_to_recordset(?::json) as v("id" uuid, "skeleton" text)
          where "rooms"."id" = v."id";`,
        [JSON.stringify(rows)],
      );
    }

    await this.execute(`alter table "rooms" add constraint "rooms_name_skeleton_unique" unique ("name_skeleton");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "rooms" drop constraint "rooms_name_skeleton_unique";`);
    this.addSql(`alter table "rooms" drop column "name_skeleton";`);
    // Private rooms take their key back where it is still free; later duplicates stay NULL.
    this.addSql(`with ranked as (
        select id, row_number() over (partition by lower(name) order by created_at, id) as n from "rooms" where "kind" = 'private'
      )
      update "rooms" r set "name_key" = lower(r."name") from ranked
       where r."id" = ranked."id" and ranked.n = 1
         and not exists (select 1 from "rooms" o where o."name_key" = lower(r."name"));`);
  }

}

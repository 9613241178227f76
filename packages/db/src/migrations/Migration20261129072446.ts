import { Migration } from '@mikro-orm/migrations';
import { usernameSkeleton } from '../username-skeleton';

// Skeletons are written in slices so one statement's parameters stay small on a large table.
const SLICE = 5000;

/**
 * Look-alike usernames become one name (docs/decisions/040-username-skeleton.md). Existing users
 * get their skeleton in sign-up order; a later account whose name looks like an earlier one's keeps
 * working with a NULL skeleton, so the migration never fails on the names already taken.
 */
export class Migration20261129072446 extends Migration {

  override async up(): Promise<void> {
    await this.execute(`alter table "users" add column "username_skeleton" text null;`);

    const users = (await this.execute(`select "id", "username" from "users" order by "created_at", "id";`)) as Array<{ id: string; username: string }>;
    const claimed = new Set<string>();
    const rows: Array<{ id: string; skeleton: string }> = [];
    for (const { id, username } of users) {
      const skeleton = usernameSkeleton(username);
      if (claimed.has(skeleton)) continue;
      claimed.add(skeleton);
      rows.push({ id, skeleton });
    }
    for (let i = 0; i < rows.length; i += SLICE) {
      await this.execute(
        `update "users" set "username_skeleton" = v."skeleton"
           from json_to_recordset(?::json) as v("id" uuid, "skeleton" text)
          where "users"."id" = v."id";`,
        [JSON.stringify(rows.slice(i, i + SLICE))],
      );
    }

    await this.execute(`alter table "users" add constraint "users_username_skeleton_unique" unique ("username_skeleton");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "users" drop constraint "users_username_skeleton_unique";`);
    this.addSql(`alter table "users" drop column "username_skeleton";`);
  }

}

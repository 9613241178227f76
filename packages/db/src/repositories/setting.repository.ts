import { EntityRepository } from '@mikro-orm/postgresql';
import type { ServerSetting } from '../entities/server-setting.entity';

export class SettingRepository extends EntityRepository<ServerSetting> {
  async get(key: string): Promise<string | null> {
    const rows = await this.getEntityManager().execute<{ value: string }[]>('select value from server_settings where key = ?', [key]);
    return rows[0]?.value ?? null;
  }

  async set(key: string, value: string): Promise<void> {
    await this.getEntityManager().execute(
      `insert into server_settings (key, value, updated_at) values (?, ?, now())
         on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at`,
      [key, value],
    );
  }
}

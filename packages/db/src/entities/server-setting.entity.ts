import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { SettingRepository } from '../repositories/setting.repository';

/** Settings an admin changes at run time (the registration mode); an env variable may override them. */
export const ServerSetting = defineEntity({
  name: 'ServerSetting',
  tableName: 'server_settings',
  repository: () => SettingRepository,
  properties: (p) => ({
    key: p.string().length(64).primary(),
    value: p.text(),
    updatedAt: p.datetime(),
  }),
});

export type ServerSetting = InferEntity<typeof ServerSetting>;

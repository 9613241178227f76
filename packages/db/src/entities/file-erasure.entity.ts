import { defineEntity, type InferEntity } from '@mikro-orm/core';

/**
 * An attachment whose row is gone and whose bytes are still to be erased. Written by a trigger on
 * `attachments` in the deleting transaction, so no delete path can forget it; removed once the
 * storage confirms the erase (failures stay and are retried by the sweep).
 */
export const FileErasure = defineEntity({
  name: 'FileErasure',
  tableName: 'file_erasures',
  properties: (p) => ({
    /** The attachment id (its storage key; `${id}.thumb` is the thumbnail's). */
    id: p.string().length(32).primary(),
    createdAt: p.datetime(),
  }),
});

export type FileErasure = InferEntity<typeof FileErasure>;

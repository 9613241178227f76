import { defineEntity, type InferEntity } from '@mikro-orm/core';

/**
 * The event log's retention (docs/decisions/168-event-retention.md): one row. Its lock is the job's
 * (`for update skip locked`: one instance deletes at a time), and `deletedThrough` is the horizon a
 * replay compares its cursor with: events up to it are gone, but each message's newest
 * message.edited, message.deleted and message.preview.
 */
export const EventHorizon = defineEntity({
  name: 'EventHorizon',
  tableName: 'event_horizon',
  properties: (p) => ({
    /** Always 1. */
    id: p.smallint().primary().autoincrement(false),
    deletedThrough: p.bigint('string').default(0),
    /** Every event the job has deleted, for its log and the bench. */
    deletedTotal: p.bigint('string').default(0),
    ranAt: p.datetime().nullable(),
  }),
});

export type EventHorizon = InferEntity<typeof EventHorizon>;

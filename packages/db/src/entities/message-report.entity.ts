import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { MessageReportRepository } from '../repositories/message-report.repository';
import { Message } from './message.entity';
import { User } from './user.entity';

/**
 * A member's report of a message (docs/decisions/114-reports-and-moderator-deletes.md). One open
 * report per reporter and message (a partial unique index); resolving closes every open report
 * of the message at once.
 */
export const MessageReport = defineEntity({
  name: 'MessageReport',
  tableName: 'message_reports',
  repository: () => MessageReportRepository,
  properties: (p) => ({
    id: p.bigint('string').primary().autoincrement(),
    message: () => p.manyToOne(Message).deleteRule('cascade').index('message_reports_message_id_index'),
    reporter: () => p.manyToOne(User).deleteRule('cascade'),
    reason: p.text(),
    createdAt: p.datetime(),
    resolvedAt: p.datetime().nullable(),
    resolvedBy: () => p.manyToOne(User).nullable().deleteRule('set null'),
    /** 'dismiss' | 'delete'. */
    resolution: p.string().length(16).nullable(),
  }),
});

export type MessageReport = InferEntity<typeof MessageReport>;

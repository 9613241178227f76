/**
 * Message `m`'s attachments as a `json_agg` of AttachmentRecord (null when none), in the order sent:
 * history, search and events read messages through stateColumns, which selects this, so every path
 * shows a message's files the same way (docs/decisions/137-files-served-and-read.md).
 */
export const ATTACHMENTS_OF_MESSAGE = `(select json_agg(json_build_object('id', a.id, 'name', a.name, 'type', a.type, 'size', a.size, 'kind', a.kind,
    'width', a.width, 'height', a.height, 'animated', a.animated) order by a.position, a.id) from attachments a where a.message_id = m.id and a.status = 'ready')`;

import type { Room } from '../api/room-types';
import { createRoomInput, ROOM_NAME_MAX, ROOM_TOPIC_MAX } from '@chat/api/schemas';
import { type FormEvent, useId, useState } from 'react';
import { trpc } from '../api/trpc';
import { roomErrorMessage } from './room-errors';
import { RoomDialog } from '../ui/RoomDialog';
import { FormFooter } from '../ui/FormFooter';

interface Props {
  onCreated(room: Room): void;
  onClose(): void;
}

/** Name, kind and topic, checked with the server's own schema before anything is sent. */
export function CreateRoomDialog({ onCreated, onClose }: Props) {
  const ids = useId();
  const [name, setName] = useState('');
  const [topic, setTopic] = useState('');
  const [kind, setKind] = useState<'channel' | 'private'>('channel');
  const [errors, setErrors] = useState<{ name?: string; topic?: string; form?: string }>({});
  const utils = trpc.useUtils();
  const create = trpc.room.create.useMutation();

  return (
    <RoomDialog title="New room" onClose={onClose}>
      {(close) => {
        const submit = (e: FormEvent) => {
          e.preventDefault();
          const parsed = createRoomInput.safeParse({ name, kind, ...(topic.trim() ? { topic } : {}) });
          if (!parsed.success) {
            const found: typeof errors = {};
            for (const issue of parsed.error.issues) {
              const field = issue.path[0] === 'topic' ? 'topic' : 'name';
              found[field] ??= issue.message;
            }
            setErrors(found);
            return;
          }
          setErrors({});
          create.mutate(parsed.data, {
            onSuccess: (room) => {
              void utils.room.list.invalidate();
              onCreated(room);
              close();
            },
            onError: (error) => setErrors(error.data?.code === 'CONFLICT' ? { name: roomErrorMessage(error) } : { form: roomErrorMessage(error) }),
          });
        };
        return (
          <form onSubmit={submit} noValidate>
            <div className="room-field">
              <label htmlFor={`${ids}-name`}>Name</label>
              <input
                id={`${ids}-name`}
                value={name}
                maxLength={ROOM_NAME_MAX * 2}
                autoComplete="off"
                spellCheck={false}
                placeholder="e.g. compilers"
                aria-invalid={errors.name ? true : undefined}
                aria-describedby={errors.name ? `${ids}-name-error` : `${ids}-name-hint`}
                onChange={(e) => setName(e.target.value)}
              />
              {errors.name ? (
                <span id={`${ids}-name-error`} className="field-error">
                  {errors.name}
                </span>
              ) : (
                <span id={`${ids}-name-hint`} className="field-hint">
                  2–{ROOM_NAME_MAX} letters, digits, “_”, “.” or “-”.
                </span>
              )}
            </div>
            <fieldset className="room-kind">
              <legend>Who can find it</legend>
              <label>
                <input type="radio" name="kind" value="channel" checked={kind === 'channel'} onChange={() => setKind('channel')} />
                <span>
                  <strong>Channel</strong> — listed in the directory; anyone can join.
                </span>
              </label>
              <label>
                <input type="radio" name="kind" value="private" checked={kind === 'private'} onChange={() => setKind('private')} />
                <span>
                  <strong>Private room</strong> — invisible to others; members add people.
                </span>
              </label>
            </fieldset>
            <div className="room-field">
              <label htmlFor={`${ids}-topic`}>Topic (optional)</label>
              <input
                id={`${ids}-topic`}
                value={topic}
                maxLength={ROOM_TOPIC_MAX * 2}
                aria-invalid={errors.topic ? true : undefined}
                aria-describedby={errors.topic ? `${ids}-topic-error` : undefined}
                onChange={(e) => setTopic(e.target.value)}
              />
              {errors.topic && (
                <span id={`${ids}-topic-error`} className="field-error">
                  {errors.topic}
                </span>
              )}
            </div>
            <FormFooter error={errors.form} busy={create.isPending} submit={'Create room'} busyLabel={'Creating…'} onCancel={close} />
          </form>
        );
      }}
    </RoomDialog>
  );
}

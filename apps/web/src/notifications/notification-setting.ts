/** Per browser, not per account: whether this browser shows notifications is the person's choice here. */
export const NOTIFICATION_CHOICE_KEY = 'chat.notifications';

/** 'on': show them; 'off': the user turned them off (or said "Not now" to the prompt); null: not asked yet. */
export type NotificationChoice = 'on' | 'off' | null;

export function readNotificationChoice(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): NotificationChoice {
  try {
    const value = storage?.getItem(NOTIFICATION_CHOICE_KEY);
    return value === 'on' || value === 'off' ? value : null;
  } catch {
    return null;
  }
}

export function writeNotificationChoice(choice: 'on' | 'off', storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage): void {
  try {
    storage?.setItem(NOTIFICATION_CHOICE_KEY, choice);
  } catch {
    // Private mode without storage: the choice lasts for this page only.
  }
}

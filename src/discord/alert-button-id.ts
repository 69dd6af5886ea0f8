/** Custom ids of the Restart and Logs buttons for a server: on its alerts, and under a /config change. */
export const ALERT_BUTTON_PREFIX = 'alert';

/** The custom id of a Restart or Logs button: short, whatever the container's name. */
export function alertButtonId(action: 'restart' | 'logs', key: string): string {
  return `${ALERT_BUTTON_PREFIX}:${action}:${key}`;
}

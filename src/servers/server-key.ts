import { createHash } from 'node:crypto';

/**
 * A short, stable key for a container name: Discord custom ids hold 100 characters and a container
 * name may have 128, so buttons carry this key and the press finds the server again by it, even
 * after the bot restarted.
 */
export function serverKey(name: string): string {
  return createHash('sha256').update(name).digest('base64url').slice(0, 16);
}

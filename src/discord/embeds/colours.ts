import type { ManagedContainer } from '../../docker/container-info.js';

/** Discord's own palette, so the board reads like the client's status dots. */
export const COLOURS = {
  ok: 0x57f287,
  warning: 0xf0b232,
  error: 0xed4245,
  unknown: 0x95a5a6,
  info: 0x5865f2,
} as const;

export type Tone = keyof typeof COLOURS;

export const TONE_EMOJI: Record<Tone, string> = {
  ok: '🟢',
  warning: '🟡',
  error: '🔴',
  unknown: '⚪',
  info: '🔵',
};

export function containerTone(container: Pick<ManagedContainer, 'state' | 'health'>): Tone {
  switch (container.state) {
    case 'running':
      return container.health === 'unhealthy' || container.health === 'starting' ? 'warning' : 'ok';
    case 'paused':
    case 'restarting':
      return 'warning';
    case 'created':
    case 'exited':
    case 'dead':
    case 'removing':
      return 'error';
    default:
      // `missing`, and any state a newer Docker may add.
      return 'unknown';
  }
}

const SEVERITY: Tone[] = ['info', 'ok', 'unknown', 'warning', 'error'];

/** The tone of a group is that of its most troubled member. */
export function worstTone(tones: readonly Tone[]): Tone {
  return tones.reduce<Tone>(
    (worst, tone) => (SEVERITY.indexOf(tone) > SEVERITY.indexOf(worst) ? tone : worst),
    'info',
  );
}

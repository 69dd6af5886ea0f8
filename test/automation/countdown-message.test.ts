import { describe, expect, it } from 'vitest';
import { countdownBody, pingBody, type CountdownView } from '../../src/automation/countdown-message.js';
import type { PlanState } from '../../src/servers/restart-plan.js';

const AT = Date.UTC(2026, 11, 1, 4, 0, 0);

function view(state: PlanState): CountdownView {
  return {
    plan: {
      id: 'ab12cd34',
      server: 'lobby',
      at: AT,
      actor: '@alice',
      reason: 'asked by @alice',
      source: 'manual',
      state,
    },
    displayName: 'Lobby *main*',
    events: [{ at: AT - 600_000, text: 'Announced: 2 worlds reached' }],
  };
}

const buttons = (body: ReturnType<typeof countdownBody>) => body.components.flatMap((row) => row.components);

describe('countdownBody', () => {
  it('shows the time as a Discord timestamp, who planned it and what happened, with live buttons', () => {
    const body = countdownBody(view('counting down'));
    const embed = body.embeds[0]!;
    expect(embed.title).toBe('Planned restart: Lobby \\*main\\*');
    expect(embed.description).toContain(`Restarts <t:${AT / 1000}:R>`);
    expect(embed.description).toContain('Announced: 2 worlds reached');
    expect(embed.description).toContain('Planned by @\u200balice');
    expect(buttons(body).map((b) => [b.custom_id, b.label, b.disabled])).toEqual([
      ['plan:abort:ab12cd34', 'Abort', false],
      ['plan:now:ab12cd34', 'Restart now', false],
    ]);
    expect(body.allowed_mentions).toEqual({ parse: [] });
  });

  it.each<PlanState>(['restarting', 'done', 'failed', 'aborted', 'taken over'])(
    'disables its buttons once %s',
    (state) => {
      const body = countdownBody(view(state));
      expect(buttons(body).every((b) => b.disabled)).toBe(true);
      expect(body.embeds[0]!.description).not.toContain(':R>');
    },
  );
});

describe('pingBody', () => {
  it('pings only the on-call role, by a reply to the countdown', () => {
    const body = pingBody(view('failed'), 'Docker said no.', 'msg-1', 'chan-1', '123456789012345678');
    expect(body.content).toBe(
      '<@&123456789012345678> The planned restart of Lobby \\*main\\* failed: Docker said no.',
    );
    expect(body.message_reference).toEqual({
      message_id: 'msg-1',
      channel_id: 'chan-1',
      fail_if_not_exists: false,
    });
    expect(body.allowed_mentions).toEqual({ parse: [], roles: ['123456789012345678'] });
  });

  it('pings nobody without an on-call role', () => {
    const body = pingBody(view('failed'), 'Docker said no.', 'msg-1', 'chan-1', undefined);
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.content).not.toContain('<@&');
  });
});

import { describe, expect, it } from 'vitest';
import { IntentionalStops } from '../../src/servers/intentional-stops.js';

const SLACK = 3_000;
const T0 = 1_700_000_000_000;

describe('IntentionalStops', () => {
  it('covers nothing for a server the bot never stopped', () => {
    const stops = new IntentionalStops();
    expect(stops.covers('lobby', T0)).toBe(false);
  });

  it('covers a closed window with slack on both sides, and nothing beyond', () => {
    const stops = new IntentionalStops();
    stops.begin('lobby', T0);
    stops.end('lobby', T0 + 10_000);
    expect(stops.covers('lobby', T0 - SLACK - 1)).toBe(false);
    expect(stops.covers('lobby', T0 - SLACK)).toBe(true);
    expect(stops.covers('lobby', T0)).toBe(true);
    expect(stops.covers('lobby', T0 + 5_000)).toBe(true);
    expect(stops.covers('lobby', T0 + 10_000 + SLACK)).toBe(true);
    expect(stops.covers('lobby', T0 + 10_000 + SLACK + 1)).toBe(false);
  });

  it('covers everything after the stop while the window is open', () => {
    const stops = new IntentionalStops();
    stops.begin('lobby', T0);
    expect(stops.covers('lobby', T0 - SLACK)).toBe(true);
    expect(stops.covers('lobby', T0 + 24 * 3_600_000)).toBe(true);
    expect(stops.covers('lobby', T0 - SLACK - 1)).toBe(false);
  });

  it('keeps windows per server', () => {
    const stops = new IntentionalStops();
    stops.begin('lobby', T0);
    expect(stops.covers('other', T0 + 1)).toBe(false);
    stops.end('other', T0 + 2);
    expect(stops.covers('lobby', T0 + 60_000)).toBe(true);
  });

  it('end closes only an open window: a second end does not move it', () => {
    const stops = new IntentionalStops();
    stops.begin('lobby', T0);
    stops.end('lobby', T0 + 1_000);
    stops.end('lobby', T0 + 60_000);
    expect(stops.covers('lobby', T0 + 1_000 + SLACK)).toBe(true);
    expect(stops.covers('lobby', T0 + 30_000)).toBe(false);
  });

  it('end without a window opens nothing', () => {
    const stops = new IntentionalStops();
    stops.end('lobby', T0);
    expect(stops.covers('lobby', T0)).toBe(false);
  });

  it('a new begin replaces a closed window', () => {
    const stops = new IntentionalStops();
    stops.begin('lobby', T0);
    stops.end('lobby', T0 + 1_000);
    stops.begin('lobby', T0 + 60_000);
    expect(stops.covers('lobby', T0 + 500)).toBe(false);
    expect(stops.covers('lobby', T0 + 120_000)).toBe(true);
  });

  it('defaults to the current time', () => {
    const stops = new IntentionalStops();
    stops.begin('lobby');
    expect(stops.covers('lobby')).toBe(true);
    stops.end('lobby');
    expect(stops.covers('lobby', Date.now() + SLACK + 60_000)).toBe(false);
  });
});

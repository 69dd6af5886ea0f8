/**
 * The PNG decoded back: its size, that it is not blank, each world in its palette colour, and a
 * gap left empty rather than drawn at zero.
 */
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import {
  BACKGROUND,
  CHART_HEIGHT,
  CHART_WIDTH,
  PALETTE,
  renderChart,
} from '../../src/history/chart-render.js';
import { HOUR_MS } from '../../src/history/history-store.js';
import { timeTicks } from '../../src/history/local-time.js';

const T0 = Date.parse('2024-03-01T00:00:00Z');

async function pixels(png: Buffer) {
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  return {
    width: image.width,
    height: image.height,
    data: ctx.getImageData(0, 0, image.width, image.height).data,
  };
}

const rgb = (hex: string) =>
  [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];

/** Pixels within a few steps of `hex` in the rectangle (the line's core; its edges are blended). */
function countColour(
  image: Awaited<ReturnType<typeof pixels>>,
  hex: string,
  area: { x0: number; x1: number; y0: number; y1: number },
): number {
  const [r, g, b] = rgb(hex);
  let n = 0;
  for (let y = area.y0; y < area.y1; y++) {
    for (let x = area.x0; x < area.x1; x++) {
      const i = (y * image.width + x) * 4;
      const d = image.data;
      if (Math.abs(d[i]! - r) <= 12 && Math.abs(d[i + 1]! - g) <= 12 && Math.abs(d[i + 2]! - b) <= 12) n++;
    }
  }
  return n;
}

describe('renderChart', () => {
  it('draws each world in its colour on the background, leaving a gap empty', async () => {
    const xs = Array.from({ length: 48 }, (_, i) => T0 + i * HOUR_MS);
    const png = renderChart({
      title: 'Lobby: users per world, last 2 days (UTC)',
      xs,
      // Hub is recorded on the first day only; Build throughout, always 0 users.
      lines: [
        { world: 'Hub', values: xs.map((_, i) => (i < 24 ? 3 + (i % 4) : null)) },
        { world: 'Build', values: xs.map(() => 0) },
      ],
      ticks: timeTicks(T0, T0 + 48 * HOUR_MS, '7d', 'UTC'),
      from: T0,
      to: T0 + 48 * HOUR_MS,
      yTitle: 'users',
    });
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    const image = await pixels(png);
    expect([image.width, image.height]).toEqual([CHART_WIDTH, CHART_HEIGHT]);
    expect(countColour(image, BACKGROUND, { x0: 0, x1: 800, y0: 0, y1: 300 })).toBeGreaterThan(
      800 * 300 * 0.5,
    );
    // Below the title and legend, left and right of the middle of the time axis.
    const left = { x0: 80, x1: 380, y0: 70, y1: 260 };
    const right = { x0: 460, x1: 780, y0: 70, y1: 260 };
    expect(countColour(image, PALETTE[0], left)).toBeGreaterThan(100);
    expect(countColour(image, PALETTE[0], right)).toBe(0);
    // The empty world is a line along zero on both days: 0 is drawn, unlike a gap.
    const zero = { x0: 60, x1: 790, y0: 200, y1: 300 };
    expect(countColour(image, PALETTE[1], zero)).toBeGreaterThan(300);
    expect(countColour(image, PALETTE[1], { ...right, y0: 200, y1: 300 })).toBeGreaterThan(150);
  });
});

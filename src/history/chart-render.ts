import { createCanvas } from '@napi-rs/canvas';
import {
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Title,
  type ChartConfiguration,
  type ScriptableContext,
} from 'chart.js';
import type { ChartLine } from './series.js';
import type { TimeTick } from './local-time.js';

/** Tableau 10: told apart also by most colour-blind readers, and readable on Discord's dark grey. */
export const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
] as const;
export const BACKGROUND = '#2b2d31';
const TEXT = '#dbdee1';
const GRID = '#3f4147';

export const CHART_WIDTH = 800;
export const CHART_HEIGHT = 300;

export interface ChartSpec {
  title: string;
  xs: readonly number[];
  lines: readonly ChartLine[];
  ticks: readonly TimeTick[];
  from: number;
  to: number;
  yTitle: string;
}

// Only what a line chart on a linear axis needs: the time labels are ours, in TZ, so no date adapter.
Chart.register(LineController, LineElement, PointElement, LinearScale, Legend, Title);

/** The chart as a PNG: one line per world, gaps where nothing was recorded. */
export function renderChart(spec: ChartSpec): Buffer {
  const canvas = createCanvas(CHART_WIDTH, CHART_HEIGHT);
  const labels = new Map(spec.ticks.map((tick) => [tick.value, tick.label]));
  const config: ChartConfiguration<'line', { x: number; y: number | null }[]> = {
    type: 'line',
    data: {
      datasets: spec.lines.map((line, i) => {
        const colour = PALETTE[i % PALETTE.length] as string;
        return {
          label: line.world,
          data: line.values.map((y, j) => ({ x: spec.xs[j] as number, y })),
          borderColor: colour,
          backgroundColor: colour,
          borderWidth: 2,
          // A lone point between gaps would draw no line: it gets a dot instead.
          pointRadius: (context: ScriptableContext<'line'>) =>
            isolated(line.values, context.dataIndex) ? 2 : 0,
          spanGaps: false,
        };
      }),
    },
    options: {
      responsive: false,
      animation: false,
      parsing: false,
      normalized: true,
      color: TEXT,
      scales: {
        x: {
          type: 'linear',
          min: spec.from,
          max: spec.to,
          grid: { color: GRID },
          afterBuildTicks: (axis) => {
            axis.ticks = spec.ticks.map((tick) => ({ value: tick.value }));
          },
          ticks: {
            color: TEXT,
            autoSkip: false,
            maxRotation: 0,
            callback: (value) => labels.get(Number(value)) ?? '',
          },
        },
        y: {
          beginAtZero: true,
          suggestedMax: 4,
          grid: { color: GRID },
          ticks: { color: TEXT, precision: 0 },
          title: { display: true, text: spec.yTitle, color: TEXT },
        },
      },
      plugins: {
        title: { display: true, text: spec.title, color: TEXT, font: { size: 14 } },
        legend: { labels: { color: TEXT, boxWidth: 14, boxHeight: 2 } },
      },
    },
    plugins: [
      {
        id: 'background',
        beforeDraw: (chart) => {
          const { ctx } = chart;
          ctx.save();
          ctx.fillStyle = BACKGROUND;
          ctx.fillRect(0, 0, chart.width, chart.height);
          ctx.restore();
        },
      },
    ],
  };
  // chart.js types its context as the DOM's; the canvas package's is its drop-in for Node.
  const chart = new Chart(
    canvas.getContext('2d') as unknown as ConstructorParameters<typeof Chart>[0],
    config,
  );
  try {
    return canvas.toBuffer('image/png');
  } finally {
    chart.destroy();
  }
}

function isolated(values: readonly (number | null)[], i: number): boolean {
  return values[i] !== null && (values[i - 1] ?? null) === null && (values[i + 1] ?? null) === null;
}

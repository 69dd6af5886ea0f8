/**
 * Player history as /graph sees it. src/history records it from the monitor's sweeps and renders
 * the chart; the interface lives here, beside the planner's, so that src/discord can name it.
 */

export const GRAPH_PERIODS = ['24h', '7d', '30d'] as const;
export type GraphPeriod = (typeof GRAPH_PERIODS)[number];

export interface GraphRequest {
  server: string;
  /** The server as the chart's title names it. */
  displayName: string;
  /** Only this world (its name as recorded, any case); every world of the server otherwise. */
  world?: string | undefined;
  period: GraphPeriod;
}

/** One world's figures over the period, users other than the headless's own. */
export interface WorldFigures {
  world: string;
  peak: number;
  /** When the peak was first reached (ms, start of its minute or hour). */
  peakAt: number;
  mean: number;
}

export interface GraphResult {
  png: Buffer;
  from: number;
  to: number;
  timezone: string;
  /** Busiest first; the chart draws these, in this order. */
  worlds: WorldFigures[];
  /** Worlds recorded in the period but left off the chart (it draws the busiest only). */
  leftOff: number;
  /** The hour of the day (in `timezone`, 0-23) with the most users on average across the worlds drawn. */
  busiestHour?: { hour: number; mean: number };
}

export interface PlayerHistory {
  /** Throws a UserError when nothing is recorded for the server (or world) in the period. */
  graph(request: GraphRequest): Promise<GraphResult>;
}

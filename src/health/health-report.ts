import { readFileSync, renameSync, writeFileSync } from 'node:fs';

/** What the running bot last knew of its two connections, as the container's HEALTHCHECK reads it. */
export interface HealthReport {
  writtenAt: number;
  /** Logged in to Discord at least once. */
  ready: boolean;
  /** Since when the gateway has not been ready; null while it is. */
  discordDownSince: number | null;
  /** Since when Docker has not answered a ping; null while it does. */
  dockerDownSince: number | null;
}

export interface HealthVerdict {
  healthy: boolean;
  reason: string;
}

/** A report older than this means the bot itself stopped (hung, or gone). */
export const STALE_REPORT_MS = 30_000;

/** Healthy once connected; unhealthy when cut off from Discord or Docker for longer than the grace. */
export function judgeHealth(report: HealthReport, now: number, graceMs: number): HealthVerdict {
  if (now - report.writtenAt > STALE_REPORT_MS) {
    return {
      healthy: false,
      reason: `no health report for ${Math.round((now - report.writtenAt) / 1000)} s`,
    };
  }
  if (!report.ready) return { healthy: false, reason: 'not logged in to Discord yet' };
  const cut = (since: number | null) => since !== null && now - since > graceMs;
  if (cut(report.discordDownSince)) {
    return { healthy: false, reason: `Discord gateway down for ${seconds(now, report.discordDownSince)} s` };
  }
  if (cut(report.dockerDownSince)) {
    return { healthy: false, reason: `Docker unreachable for ${seconds(now, report.dockerDownSince)} s` };
  }
  return { healthy: true, reason: 'connected to Discord and Docker' };
}

function seconds(now: number, since: number | null): number {
  return Math.round((now - (since ?? now)) / 1000);
}

/** Written whole and renamed into place, so the check never reads half a report. */
export function writeHealthReport(path: string, report: HealthReport): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(report));
  renameSync(temporary, path);
}

export function readHealthReport(path: string): HealthReport {
  return JSON.parse(readFileSync(path, 'utf8')) as HealthReport;
}

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  STALE_REPORT_MS,
  judgeHealth,
  readHealthReport,
  writeHealthReport,
  type HealthReport,
} from '../../src/health/health-report.js';

const NOW = 1_800_000_000_000;
const GRACE = 60_000;
const up: HealthReport = {
  writtenAt: NOW - 1_000,
  ready: true,
  discordDownSince: null,
  dockerDownSince: null,
};

describe('judgeHealth', () => {
  it('is healthy once logged in with both connections up', () => {
    expect(judgeHealth(up, NOW, GRACE)).toEqual({ healthy: true, reason: 'connected to Discord and Docker' });
  });

  it('is unhealthy before the first login', () => {
    expect(judgeHealth({ ...up, ready: false }, NOW, GRACE).healthy).toBe(false);
  });

  it('stays healthy through a cut shorter than the grace, and turns unhealthy after it', () => {
    expect(judgeHealth({ ...up, dockerDownSince: NOW - GRACE }, NOW, GRACE).healthy).toBe(true);
    expect(judgeHealth({ ...up, dockerDownSince: NOW - GRACE - 1 }, NOW, GRACE)).toEqual({
      healthy: false,
      reason: 'Docker unreachable for 60 s',
    });
    expect(judgeHealth({ ...up, discordDownSince: NOW - 90_000 }, NOW, GRACE)).toEqual({
      healthy: false,
      reason: 'Discord gateway down for 90 s',
    });
  });

  it('is unhealthy when the bot stopped writing its report', () => {
    expect(judgeHealth({ ...up, writtenAt: NOW - STALE_REPORT_MS - 1 }, NOW, GRACE).healthy).toBe(false);
  });

  it('reads back what was written', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rhb-health-')), 'health.json');
    writeHealthReport(file, up);
    expect(readHealthReport(file)).toEqual(up);
  });
});

// The image's HEALTHCHECK: exit 0 when the running bot reports itself connected, 1 otherwise.
import { loadHealthCheckConfig } from './config.js';
import { judgeHealth, readHealthReport } from './health/health-report.js';

const { file, graceSeconds } = loadHealthCheckConfig(process.env);
if (file === undefined) {
  console.log('HEALTH_FILE is not set: the bot keeps no health report');
  process.exit(1);
}
let verdict;
try {
  verdict = judgeHealth(readHealthReport(file), Date.now(), graceSeconds * 1000);
} catch (err) {
  verdict = { healthy: false, reason: `no health report (${(err as Error).message})` };
}
console.log(verdict.reason);
process.exit(verdict.healthy ? 0 : 1);

import type Docker from 'dockerode';

export interface ContainerStats {
  /** Percent of one CPU (200 = two cores busy); null when Docker gave no usable sample. */
  cpuPercent: number | null;
  memoryBytes: number;
  memoryLimitBytes: number;
  memoryPercent: number | null;
}

interface CpuSample {
  total: number;
  system: number;
}

/**
 * One-shot stats (~30 ms) instead of Docker's streaming sample (~2 s). A one-shot answer has no
 * previous sample, so CPU is computed against this process's last reading of the same container,
 * and on a first reading as the average since the container started.
 */
export class StatsReader {
  private readonly previous = new Map<string, CpuSample>();

  async read(container: Docker.Container, startedAt: Date | null): Promise<ContainerStats> {
    const raw: Docker.ContainerStats | undefined = await container.stats({ stream: false, 'one-shot': true });
    if (!raw) return { cpuPercent: null, memoryBytes: 0, memoryLimitBytes: 0, memoryPercent: null };
    const sample = {
      total: raw.cpu_stats.cpu_usage.total_usage,
      system: raw.cpu_stats.system_cpu_usage ?? 0,
    };
    const cpus = raw.cpu_stats.online_cpus || raw.cpu_stats.cpu_usage.percpu_usage?.length || 1;
    const before = this.previous.get(container.id);
    this.previous.set(container.id, sample);
    return { cpuPercent: cpuPercent(sample, before, cpus, startedAt), ...memory(raw) };
  }

  forget(containerId: string): void {
    this.previous.delete(containerId);
  }
}

function cpuPercent(now: CpuSample, before: CpuSample | undefined, cpus: number, startedAt: Date | null) {
  if (before && now.system > before.system && now.total >= before.total) {
    return round(((now.total - before.total) / (now.system - before.system)) * cpus * 100);
  }
  if (!startedAt) return null;
  const elapsedNs = (Date.now() - startedAt.getTime()) * 1e6;
  return elapsedNs > 0 ? round((now.total / elapsedNs) * 100) : null;
}

function memory(raw: Docker.ContainerStats): Omit<ContainerStats, 'cpuPercent'> {
  const stats = (raw.memory_stats.stats ?? {}) as unknown as Record<string, number | undefined>;
  // Page cache is not the process's memory: cgroup v2 reports it as inactive_file, v1 as cache.
  const cache = stats.inactive_file ?? stats.total_inactive_file ?? stats.cache ?? 0;
  const usage = Math.max(0, (raw.memory_stats.usage ?? 0) - cache);
  const limit = raw.memory_stats.limit ?? 0;
  return {
    memoryBytes: usage,
    memoryLimitBytes: limit,
    memoryPercent: limit > 0 ? round((usage / limit) * 100) : null,
  };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

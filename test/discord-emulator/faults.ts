import type { Fault, FaultSpec } from './types.js';

export interface FaultAnswer {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

/** One-shot (or n-shot) failures that tests arm before the bot makes a request. */
export class FaultInjector {
  private readonly armed: Fault[] = [];

  add(spec: FaultSpec): Fault {
    const fault: Fault = { spec, remaining: spec.count ?? 1, hits: [] };
    this.armed.push(fault);
    return fault;
  }

  /** The first armed fault matching this request, consumed by one. */
  take(method: string, path: string): Fault | undefined {
    const fault = this.armed.find((f) => {
      const { spec } = f;
      if (spec.method && spec.method.toUpperCase() !== method) return false;
      return typeof spec.path === 'string' ? spec.path === path : spec.path.test(path);
    });
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.armed.splice(this.armed.indexOf(fault), 1);
    return fault;
  }

  clear(): void {
    this.armed.length = 0;
  }

  /**
   * The answer Discord would give: a 429 carries `retry_after` and the rate-limit headers that
   * make discord.js wait and retry by itself; 5xx are retried by discord.js up to 3 times.
   */
  static answer(spec: FaultSpec): FaultAnswer {
    const headers: Record<string, string> = { ...spec.headers };
    if (spec.status === 429) {
      const retryAfter = spec.retryAfter ?? 0.05;
      Object.assign(headers, {
        'retry-after': String(retryAfter),
        'x-ratelimit-limit': '5',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Date.now() / 1000 + retryAfter),
        'x-ratelimit-reset-after': String(retryAfter),
        'x-ratelimit-bucket': 'emulated-bucket',
        'x-ratelimit-scope': 'user',
        ...spec.headers,
      });
      return {
        status: 429,
        body: spec.body ?? { message: 'You are being rate limited.', retry_after: retryAfter, global: false },
        headers,
      };
    }
    const defaults: Record<number, unknown> = {
      400: { message: '400: Bad Request', code: 0 },
      401: { message: '401: Unauthorized', code: 0 },
      403: { message: 'Missing Permissions', code: 50013 },
      404: { message: '404: Not Found', code: 0 },
    };
    const body = spec.body ??
      defaults[spec.status] ?? { message: `${spec.status}: Emulated failure`, code: 0 };
    return { status: spec.status, body, headers };
  }
}

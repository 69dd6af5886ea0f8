import { createRequire } from 'node:module';

/**
 * dockerode loads gRPC (for BuildKit sessions) and docker-modem loads ssh2 (for `ssh://` hosts) as
 * soon as they are imported: about 25 MB of resident memory, a WebAssembly heap included, that a bot
 * on a unix socket never uses. Their two entry files are put in the module cache as stand-ins that
 * load the real file on first call. Imported for its effect, before dockerode.
 */
const require = createRequire(import.meta.url);

function lazily(file: string): void {
  const path = require.resolve(file);
  if (require.cache[path]) return;
  let real: ((...args: unknown[]) => unknown) | undefined;
  const standIn = function (this: unknown, ...args: unknown[]): unknown {
    if (!real) {
      delete require.cache[path];
      real = require(path) as (...args: unknown[]) => unknown;
    }
    return real.apply(this, args);
  };
  const module = new (require('node:module') as { new (id: string): NodeJS.Module })(path);
  module.filename = path;
  module.loaded = true;
  module.exports = standIn;
  require.cache[path] = module;
}

lazily('docker-modem/lib/ssh.js');
lazily('dockerode/lib/session.js');

import { ConfigError, loadConfig } from '../config.js';
import { runExportJob } from './export-job.js';

/**
 * The export process's entry point, forked by the server (src/jobs/export-process.ts) as
 * `export-process-main.js run-job ID [--demo]`: it loads only what a run needs, not the
 * server's routes and commands, so the process starts with a third of their memory.
 */
process.umask(0o077);
const [word, id, ...flags] = process.argv.slice(2);
const run = async () => {
  if (word !== 'run-job') return 64;
  return runExportJob(loadConfig(), id, { demo: flags.includes('--demo') });
};
run().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(error instanceof ConfigError ? 78 : 1);
  },
);

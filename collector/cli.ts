import { ConfigError, loadConfig } from './config.ts';
import { startCollector } from './server.ts';

const USAGE = `usage: waymark <command> [flags]

commands:
  serve      run the collector and dashboard (flags and WAYMARK_* variables: see README, "Configuration")
  rebuild    recompute sessions and visitors from the raw events: waymark rebuild [--db FILE]

Every flag can also be set as an environment variable: --port / PORT, --db / WAYMARK_DB, ...`;

async function serve(argv: string[]) {
  const config = loadConfig(argv, process.env);
  const collector = await startCollector(config);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: committing accepted events and stopping`);
    collector.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`stop failed: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

async function rebuild(argv: string[]) {
  const { rebuildDerived } = await import('./rebuild.ts');
  const config = loadConfig(argv, process.env);
  const counts = rebuildDerived(config);
  console.log(`rebuilt ${counts.sessions} sessions and ${counts.visitors} visitors from ${counts.events} events`);
}

export async function main(args: string[]) {
  const [command, ...rest] = args;
  try {
    if (command === 'serve') await serve(rest);
    else if (command === 'rebuild') await rebuild(rest);
    else {
      console.error(command && command !== 'help' && command !== '--help' ? `unknown command "${command}"\n\n${USAGE}` : USAGE);
      process.exitCode = command === 'help' || command === '--help' ? 0 : 2;
    }
  } catch (error) {
    // Configuration and startup problems are the user's to fix: say what, without a stack trace.
    if (error instanceof ConfigError) console.error(error.message);
    else console.error(`waymark: ${(error as Error).message}`);
    process.exit(1);
  }
}

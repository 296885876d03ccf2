#!/usr/bin/env node
// The `cotton` command: loads the TypeScript CLI through tsx (no build step).
import { register } from 'tsx/esm/api';

register();
// `cotton ... | head`: a reader that stops reading ends the command quietly, as with other tools.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));

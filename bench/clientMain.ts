import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/projectRoot';
import { clientOverheadSection, measureClientOverhead } from './clientOverhead';

/** `npm run bench:client`: the client's overhead alone, written to bench/client-results.md. */
async function main(): Promise<void> {
  const result = await measureClientOverhead({ log: (s) => console.log(`[bench:client] ${s}`) });
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ${new Date().toISOString()}`;
  const text = `# realmgate client benchmark\n\nWritten by \`npm run bench:client\` (bench/clientMain.ts). Machine: ${machine}.\n\n${clientOverheadSection(result)}`;
  fs.writeFileSync(path.join(PROJECT_ROOT, 'bench', 'client-results.md'), text);
  console.log(text);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

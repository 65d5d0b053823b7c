#!/usr/bin/env node
// The package's types come from the API description: openapi-typescript turns openapi.yaml into
// src/generated/openapi.ts, which is committed (so the package builds with no generator at hand)
// and checked against openapi.yaml by the tests. `npm run generate` rewrites it.
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const SPEC = path.resolve(__dirname, '..', '..', '..', 'openapi.yaml');
const OUTPUT = path.resolve(__dirname, '..', 'src', 'generated', 'openapi.ts');
const HEADER = '// Generated from openapi.yaml by `npm run generate -w @realmgate/client`. Do not edit.\n\n';

/** The generated file's text, from openapi.yaml as it is now. */
async function generateTypes(spec = SPEC) {
  const { default: openapiTS, astToString } = require('openapi-typescript');
  const ast = await openapiTS(pathToFileURL(spec), { exportType: false, alphabetize: false });
  return HEADER + astToString(ast);
}

async function main() {
  const text = await generateTypes();
  if (process.argv.includes('--write')) {
    fs.mkdirSync(path.dirname(OUTPUT), { recursive: true });
    fs.writeFileSync(OUTPUT, text);
  } else {
    process.stdout.write(text);
  }
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${err && err.stack ? err.stack : err}\n`);
    process.exit(1);
  });
}

module.exports = { generateTypes, OUTPUT, SPEC };

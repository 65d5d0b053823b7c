import fs from 'node:fs';
import path from 'node:path';
import { Enforcer, newEnforcer, newModelFromString, type Adapter } from 'casbin';
import { domainMatches } from './domains';
import { grantMatches } from './tags';
import { PROJECT_ROOT } from '../projectRoot';

const MODEL_PATH = path.join(PROJECT_ROOT, 'policies', 'model.conf');
const MODEL_TEXT = fs.readFileSync(MODEL_PATH, 'utf8');

/**
 * A Casbin enforcer for realmgate's model with its two matching functions registered, to hold
 * decisions equal to Casbin's on the stored rules. With an adapter it loads every rule from it;
 * auto-save is off, so it never writes.
 */
export async function createEnforcer(adapter?: Adapter): Promise<Enforcer> {
  const model = newModelFromString(MODEL_TEXT);
  const enforcer = adapter ? await newEnforcer(model, adapter) : await newEnforcer(model);
  await enforcer.addFunction('domainMatch', (r: string, p: string) => domainMatches(r, p));
  await enforcer.addFunction('grantMatch', (r: string, p: string) => grantMatches(r, p));
  enforcer.enableAutoSave(false);
  return enforcer;
}

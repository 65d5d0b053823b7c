import { createEnforcer } from '../../src/engine/enforcer';
import { RuleDelta } from '../../src/engine/ruleDelta';

describe('RuleDelta', () => {
  test('adds and removes grants and role links in one pass', async () => {
    const e = await createEnforcer();
    const first = new RuleDelta();
    first.add({ p: [['role:admin', 'acme/*', 'orders:*'], ['user:ann', 'acme/eng', 'x:1']], g: [['user:ann', 'role:admin', 'acme/eng']] });
    await first.applyTo(e);
    expect(e.enforceSync('user:ann', 'acme/eng', 'orders:rw')).toBe(true);
    expect(e.enforceSync('user:ann', 'acme/eng', 'x:1')).toBe(true);

    const second = new RuleDelta();
    second.remove({ p: [['user:ann', 'acme/eng', 'x:1']], g: [['user:ann', 'role:admin', 'acme/eng']] });
    await second.applyTo(e);
    expect(e.enforceSync('user:ann', 'acme/eng', 'orders:rw')).toBe(false);
    expect(e.enforceSync('user:ann', 'acme/eng', 'x:1')).toBe(false);
    expect(await e.getPolicy()).toEqual([['role:admin', 'acme/*', 'orders:*']]);
    expect(await e.getGroupingPolicy()).toEqual([]);
  });

  test('a rule removed and added again in the same change stays exactly once', async () => {
    const e = await createEnforcer();
    const setup = new RuleDelta();
    setup.add({ p: [['user:ann', 'acme/eng', 'x:1']], g: [['user:ann', 'role:admin', 'acme/eng']] });
    await setup.applyTo(e);
    const replace = new RuleDelta();
    replace.remove({ p: [['user:ann', 'acme/eng', 'x:1']], g: [['user:ann', 'role:admin', 'acme/eng']] });
    replace.add({ p: [['user:ann', 'acme/eng', 'x:1'], ['user:ann', 'acme/eng', 'x:2']], g: [['user:ann', 'role:admin', 'acme/eng']] });
    await replace.applyTo(e);
    expect(await e.getPolicy()).toEqual([['user:ann', 'acme/eng', 'x:1'], ['user:ann', 'acme/eng', 'x:2']]);
    expect(await e.getGroupingPolicy()).toEqual([['user:ann', 'role:admin', 'acme/eng']]);
    expect(await e.hasRoleForUser('user:ann', 'role:admin', 'acme/eng')).toBe(true);
  });

  test('removing a rule that is not there means memory diverged', async () => {
    const e = await createEnforcer();
    const delta = new RuleDelta();
    delta.remove({ p: [['user:ann', 'acme/eng', 'x:1']], g: [] });
    await expect(delta.applyTo(e)).rejects.toThrow(/diverged/);
  });
});

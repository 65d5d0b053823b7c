import { PolicyState } from '../../src/engine/policyState';

describe('PolicyState.apply', () => {
  test('applies changes strictly in revision order', async () => {
    const state = new PolicyState();
    await expect(state.apply({ revision: 2, realm: 'acme', ops: [{ type: 'realm.upserted', realm: 'acme' }] })).rejects.toThrow(/out of order/);
    await state.apply({ revision: 1, realm: 'acme', ops: [{ type: 'realm.upserted', realm: 'acme' }] });
    expect(state.revision).toBe(1);
  });

  test('a change that cannot be applied changes nothing', async () => {
    const state = new PolicyState();
    await state.apply({ revision: 1, realm: 'acme', ops: [{ type: 'realm.upserted', realm: 'acme' }] });
    const broken = state.apply({
      revision: 2,
      realm: 'acme',
      ops: [
        { type: 'user.upserted', realm: 'acme', user: 'bob', state: 'active' },
        { type: 'membership.upserted', realm: 'acme', user: 'bob', org: null, roles: [], permissions: ['x:1'], expiresAt: null },
        { type: 'realm.deleted', realm: 'acme' },
        { type: 'org.upserted', realm: 'acme', org: 'o' },
      ],
    });
    await expect(broken).rejects.toThrow(/unknown realm acme/);
    expect(state.revision).toBe(1);
    expect(state.realm('acme')?.users.size).toBe(0);
    expect(state.realm('acme')?.membershipCount).toBe(0);
  });

  test('a realm created and deleted within one change may be named in between', async () => {
    const state = new PolicyState();
    await state.apply({
      revision: 1,
      realm: 'tmp',
      ops: [
        { type: 'realm.upserted', realm: 'tmp' },
        { type: 'user.upserted', realm: 'tmp', user: 'x', state: 'active' },
        { type: 'realm.deleted', realm: 'tmp' },
      ],
    });
    expect(state.realm('tmp')).toBeUndefined();
    expect(state.revision).toBe(1);
  });
});

import { SessionError, Sessions, type Transition } from '../../packages/client/src/index';
import type { SessionBackend } from '../../packages/client/src/sessions';
import type { CheckInput, Decision, EffectivePermissions } from '../../packages/client/src/types';

/**
 * Several signed-in subjects, one active: every transition between authenticated (active or
 * inactive), logged out and removed, and checks that only ever name the active subject.
 */
class FakeBackend implements SessionBackend {
  readonly asked: CheckInput[] = [];
  reasons = new Map<string, Decision['reason']>();
  async check(input: CheckInput): Promise<Decision> {
    this.asked.push(input);
    const reason = this.reasons.get(input.subject) ?? 'granted';
    return { allowed: reason === 'granted', reason, revision: 1 };
  }
  async checkMany(inputs: readonly CheckInput[]): Promise<Decision[]> {
    return Promise.all(inputs.map((i) => this.check(i)));
  }
  async permissions(subject: string): Promise<EffectivePermissions> {
    this.asked.push({ subject, permission: '*' });
    const reason = this.reasons.get(subject) === 'user_disabled' ? 'user_disabled' : 'granted';
    return { realm: 'r', user: subject, org: null, state: 'active', roles: [], direct: [], permissions: [], byRole: {}, expiresAt: null, effective: true, reason, revision: 1 };
  }
}

let backend: FakeBackend;
let sessions: Sessions;
let transitions: Transition[];
const make = (options = {}) => {
  backend = new FakeBackend();
  sessions = new Sessions(backend, options);
  transitions = [];
  sessions.onChange((t) => transitions.push(t));
};
beforeEach(() => make());

const states = () => Object.fromEntries(sessions.list().map((s) => [s.subject, s.state]));

test('add: a new subject becomes active; the one active before becomes inactive', () => {
  sessions.add('alice');
  sessions.add('bob');
  expect(sessions.active).toBe('bob');
  expect(states()).toEqual({ alice: 'inactive', bob: 'active' });
  expect(sessions.list().every((s) => s.authenticated)).toBe(true);
  expect(transitions).toEqual([
    { subject: 'alice', from: 'absent', to: 'active', cause: 'add' },
    { subject: 'alice', from: 'active', to: 'inactive', cause: 'add' },
    { subject: 'bob', from: 'absent', to: 'active', cause: 'add' },
  ]);
});

test('switchTo: an inactive subject becomes active, the active one inactive', async () => {
  sessions.add('alice');
  sessions.add('bob');
  transitions.length = 0;
  await sessions.switchTo('alice');
  expect(sessions.active).toBe('alice');
  expect(transitions).toEqual([
    { subject: 'bob', from: 'active', to: 'inactive', cause: 'switch' },
    { subject: 'alice', from: 'inactive', to: 'active', cause: 'switch' },
  ]);
});

test('switchTo only reaches a subject that was added and is signed in', async () => {
  sessions.add('alice');
  await expect(sessions.switchTo('mallory')).rejects.toMatchObject({ code: 'unknown_subject' });
  sessions.add('bob');
  sessions.logOut('alice');
  await expect(sessions.switchTo('alice')).rejects.toMatchObject({ code: 'logged_out' });
  expect(sessions.active).toBe('bob');
});

test('beforeSwitch can demand re-authentication and refuse the switch; nothing changes then', async () => {
  const asked: unknown[] = [];
  let reauthenticated = false;
  make({ beforeSwitch: async (change: unknown) => (asked.push(change), reauthenticated) });
  sessions.add('alice');
  sessions.add('bob');
  await expect(sessions.switchTo('alice')).rejects.toBeInstanceOf(SessionError);
  expect(sessions.active).toBe('bob');
  expect(asked).toEqual([{ from: 'bob', to: 'alice' }]);
  reauthenticated = true;
  await sessions.switchTo('alice');
  expect(sessions.active).toBe('alice');
});

test('a beforeSwitch that throws refuses the switch', async () => {
  make({
    beforeSwitch: () => {
      throw new Error('password required');
    },
  });
  sessions.add('alice');
  sessions.add('bob');
  await expect(sessions.switchTo('alice')).rejects.toMatchObject({ code: 'switch_refused' });
  expect(sessions.active).toBe('bob');
});

test('logOut: the active subject is logged out, stays listed, and no subject is active', () => {
  sessions.add('alice');
  transitions.length = 0;
  sessions.logOut('alice');
  expect(sessions.active).toBeUndefined();
  expect(sessions.list()).toEqual([{ subject: 'alice', state: 'logged_out', authenticated: false }]);
  expect(transitions).toEqual([{ subject: 'alice', from: 'active', to: 'logged_out', cause: 'log_out' }]);
});

test('add signs a logged-out subject in again', () => {
  sessions.add('alice');
  sessions.logOut('alice');
  transitions.length = 0;
  sessions.add('alice');
  expect(sessions.active).toBe('alice');
  expect(transitions).toEqual([{ subject: 'alice', from: 'logged_out', to: 'active', cause: 'add' }]);
});

test('remove: logs out, forgets the subject and everything kept for it', async () => {
  sessions.add('alice');
  sessions.get('alice')!.data.set('cart', ['book']);
  sessions.add('bob');
  transitions.length = 0;
  sessions.remove('alice');
  expect(sessions.list().map((s) => s.subject)).toEqual(['bob']);
  expect(sessions.get('alice')).toBeUndefined();
  expect(transitions).toEqual([
    { subject: 'alice', from: 'inactive', to: 'logged_out', cause: 'remove' },
    { subject: 'alice', from: 'logged_out', to: 'removed', cause: 'remove' },
  ]);
  await expect(sessions.switchTo('alice')).rejects.toMatchObject({ code: 'unknown_subject' });
  sessions.add('alice');
  expect(sessions.get('alice')!.data.size).toBe(0);
});

test('removing the active subject leaves none active; checks then throw instead of using another subject', async () => {
  sessions.add('alice');
  sessions.add('bob');
  sessions.remove('bob');
  expect(sessions.active).toBeUndefined();
  await expect(sessions.check({ permission: 'x' })).rejects.toMatchObject({ code: 'no_active_subject' });
  await expect(sessions.allowed({ permission: 'x' }, { onError: 'deny' })).rejects.toMatchObject({ code: 'no_active_subject' });
  expect(backend.asked).toEqual([]);
});

test('checks through the sessions always name the active subject, and refuse to name another', async () => {
  sessions.add('alice');
  sessions.add('bob');
  await sessions.check({ org: 'eng', permission: 'orders:rw' });
  await sessions.switchTo('alice');
  await sessions.allowed({ permission: 'x' });
  await sessions.checkMany([{ permission: 'a' }, { permission: 'b' }]);
  await sessions.permissions({ org: 'eng' });
  expect(backend.asked.map((c) => c.subject)).toEqual(['bob', 'alice', 'alice', 'alice', 'alice']);
  await expect(sessions.check({ subject: 'bob', permission: 'x' } as never)).rejects.toMatchObject({ code: 'subject_given' });
});

test.each(['user_disabled', 'unknown_user'] as const)('an answer of %s logs that subject out', async (reason) => {
  sessions.add('alice');
  sessions.add('bob');
  backend.reasons.set('bob', reason);
  transitions.length = 0;
  const decision = await sessions.check({ permission: 'x' });
  expect(decision).toMatchObject({ allowed: false, reason });
  expect(sessions.active).toBeUndefined();
  expect(states()).toEqual({ alice: 'inactive', bob: 'logged_out' });
  expect(transitions).toEqual([{ subject: 'bob', from: 'active', to: 'logged_out', cause: reason }]);
});

test('effective permissions answering user_disabled log the subject out too', async () => {
  sessions.add('alice');
  backend.reasons.set('alice', 'user_disabled');
  await sessions.permissions();
  expect(states()).toEqual({ alice: 'logged_out' });
});

test('other denials leave the session as it is', async () => {
  sessions.add('alice');
  backend.reasons.set('alice', 'no_grant');
  expect(await sessions.allowed({ permission: 'x' })).toBe(false);
  expect(sessions.active).toBe('alice');
});

test('a listener that stops listening hears nothing more', () => {
  const heard: Transition[] = [];
  const stop = sessions.onChange((t) => heard.push(t));
  sessions.add('alice');
  stop();
  sessions.add('bob');
  expect(heard).toHaveLength(1);
});

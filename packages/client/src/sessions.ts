import type { AllowedOptions, CallOptions } from './options.js';
import type { CheckInput, Decision, EffectivePermissions } from './types.js';

/**
 * A signed-in subject's state. `active` and `inactive` subjects are authenticated; exactly one
 * authenticated subject is active, unless the active one logged out.
 */
export type SessionState = 'active' | 'inactive' | 'logged_out';

export type TransitionCause = 'add' | 'switch' | 'log_out' | 'remove' | 'user_disabled' | 'unknown_user';

export interface Transition {
  subject: string;
  /** `absent` when the subject was not held */
  from: SessionState | 'absent';
  /** `removed` once forgotten */
  to: SessionState | 'removed';
  cause: TransitionCause;
}

export interface SessionInfo {
  subject: string;
  state: SessionState;
  authenticated: boolean;
  /** whatever the app keeps for this subject; forgotten by remove() */
  data: Map<string, unknown>;
}

export interface SessionsOptions {
  /**
   * Called before every switchTo(); switching to an already signed-in subject without asking for
   * its credentials again can let one person act as another on a shared device. Resolve to false
   * (or throw) to refuse the switch.
   */
  beforeSwitch?: (change: { from: string | undefined; to: string }) => boolean | Promise<boolean>;
}

export class SessionError extends Error {
  constructor(
    readonly code: 'no_active_subject' | 'unknown_subject' | 'logged_out' | 'switch_refused' | 'subject_given',
    message: string,
  ) {
    super(message);
    this.name = 'SessionError';
  }
}

/** What sessions need of a client: the narrowest part of it. */
export interface SessionBackend {
  check(input: CheckInput, options?: CallOptions): Promise<Decision>;
  checkMany(inputs: readonly CheckInput[], options?: CallOptions): Promise<Decision[]>;
  permissions(subject: string, where?: { org?: string; realm?: string }, options?: CallOptions): Promise<EffectivePermissions>;
}

/** A check through the sessions names no subject: it is always the active one's. */
export type SessionCheckInput = Omit<CheckInput, 'subject'> & { subject?: never };

/**
 * The subjects signed in on this client, one of them active. Checks made here always name the
 * active subject, never another. An answer saying the subject is disabled or unknown logs that
 * subject out. Listeners hear of every transition.
 */
export class Sessions {
  private readonly held = new Map<string, SessionInfo>();
  private activeSubject: string | undefined;
  private readonly listeners = new Set<(t: Transition) => void>();

  constructor(
    private readonly client: SessionBackend,
    private readonly options: SessionsOptions = {},
  ) {}

  /** The active subject, if any. */
  get active(): string | undefined {
    return this.activeSubject;
  }

  /** Every subject held, logged out ones included, in the order they were added. */
  list(): { subject: string; state: SessionState; authenticated: boolean }[] {
    return [...this.held.values()].map(({ subject, state, authenticated }) => ({ subject, state, authenticated }));
  }

  /** The subject's session, to keep data for it; undefined when not held. */
  get(subject: string): SessionInfo | undefined {
    return this.held.get(subject);
  }

  /** Listens to every transition; returns the function that stops listening. */
  onChange(listener: (t: Transition) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Signs `subject` in (again) and makes it active; the previously active subject becomes inactive. */
  add(subject: string): void {
    if (typeof subject !== 'string' || subject === '') throw new TypeError('a subject is a non-empty string');
    this.deactivateCurrent(subject, 'add');
    const existing = this.held.get(subject);
    if (existing) {
      this.move(existing, 'active', 'add');
    } else {
      const info: SessionInfo = { subject, state: 'active', authenticated: true, data: new Map() };
      this.held.set(subject, info);
      this.emit({ subject, from: 'absent', to: 'active', cause: 'add' });
    }
    this.activeSubject = subject;
  }

  /** Makes an added, signed-in subject active, after `beforeSwitch` agrees. */
  async switchTo(subject: string): Promise<void> {
    const target = this.held.get(subject);
    if (!target) throw new SessionError('unknown_subject', `'${subject}' was never added; add() signs a subject in`);
    if (target.state === 'logged_out') throw new SessionError('logged_out', `'${subject}' is logged out; add() signs it in again`);
    if (this.activeSubject === subject) return;
    const from = this.activeSubject;
    let agreed: boolean;
    try {
      agreed = this.options.beforeSwitch ? await this.options.beforeSwitch({ from, to: subject }) : true;
    } catch (err) {
      throw new SessionError('switch_refused', `switching to '${subject}' was refused: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (agreed !== true) throw new SessionError('switch_refused', `switching to '${subject}' was refused`);
    // the hook ran asynchronously: the target may have been removed or logged out meanwhile
    if (this.held.get(subject) !== target || (target.state as SessionState) === 'logged_out') throw new SessionError('logged_out', `'${subject}' was logged out or removed during the switch`);
    this.deactivateCurrent(subject, 'switch');
    this.move(target, 'active', 'switch');
    this.activeSubject = subject;
  }

  /** Logs `subject` out; it stays listed until removed. When it was active, none is active. */
  logOut(subject: string): void {
    const info = this.held.get(subject);
    if (!info) throw new SessionError('unknown_subject', `'${subject}' is not held`);
    this.toLoggedOut(info, 'log_out');
  }

  /** Logs `subject` out and forgets it and everything held for it. */
  remove(subject: string): void {
    const info = this.held.get(subject);
    if (!info) return;
    this.toLoggedOut(info, 'remove');
    info.data.clear();
    this.held.delete(subject);
    this.emit({ subject, from: 'logged_out', to: 'removed', cause: 'remove' });
  }

  /** The full decision for the active subject. */
  async check(input: SessionCheckInput, options?: CallOptions): Promise<Decision> {
    const subject = this.requireActive(input);
    const decision = await this.client.check({ ...input, subject }, options);
    this.noteAnswer(subject, decision.reason);
    return decision;
  }

  /** The decision for the active subject, as a boolean. */
  async allowed(input: SessionCheckInput, options: AllowedOptions = {}): Promise<boolean> {
    const subject = this.requireActive(input);
    try {
      return (await this.check(input, options)).allowed;
    } catch (err) {
      if (options.onError === 'deny' && !(err instanceof SessionError) && this.held.has(subject)) return false;
      throw err;
    }
  }

  /** Many checks for the active subject, in order. */
  async checkMany(inputs: readonly SessionCheckInput[], options?: CallOptions): Promise<Decision[]> {
    const subject = this.requireActive(inputs[0] ?? {});
    for (const input of inputs) this.requireNoSubject(input);
    const decisions = await this.client.checkMany(
      inputs.map((i) => ({ ...i, subject })),
      options,
    );
    for (const d of decisions) this.noteAnswer(subject, d.reason);
    return decisions;
  }

  /** What the active subject may do in `org` (or at realm level). */
  async permissions(where: { org?: string; realm?: string } = {}, options?: CallOptions): Promise<EffectivePermissions> {
    const subject = this.requireActive({});
    const answer = await this.client.permissions(subject, where, options);
    this.noteAnswer(subject, answer.reason);
    return answer;
  }

  private requireNoSubject(input: { subject?: unknown }): void {
    if (input.subject !== undefined) throw new SessionError('subject_given', 'a check through the sessions is always for the active subject; it names none');
  }

  private requireActive(input: { subject?: unknown }): string {
    this.requireNoSubject(input);
    if (this.activeSubject === undefined) throw new SessionError('no_active_subject', 'no subject is active');
    return this.activeSubject;
  }

  /** realmgate saying the subject is disabled or unknown ends its session. */
  private noteAnswer(subject: string, reason: string): void {
    if (reason !== 'user_disabled' && reason !== 'unknown_user') return;
    const info = this.held.get(subject);
    if (info && info.state !== 'logged_out') this.toLoggedOut(info, reason);
  }

  private deactivateCurrent(next: string, cause: TransitionCause): void {
    const current = this.activeSubject === undefined ? undefined : this.held.get(this.activeSubject);
    if (current && current.subject !== next) this.move(current, 'inactive', cause);
  }

  private toLoggedOut(info: SessionInfo, cause: TransitionCause): void {
    if (this.activeSubject === info.subject) this.activeSubject = undefined;
    if (info.state !== 'logged_out') this.move(info, 'logged_out', cause);
  }

  private move(info: SessionInfo, to: SessionState, cause: TransitionCause): void {
    const from = info.state;
    if (from === to) return;
    info.state = to;
    info.authenticated = to !== 'logged_out';
    this.emit({ subject: info.subject, from, to, cause });
  }

  private emit(t: Transition): void {
    for (const listener of [...this.listeners]) listener(t);
  }
}

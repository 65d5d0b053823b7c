import { EVENT_TYPES } from '../engine/events';
import { invalid } from '../errors';
import { assertPublicHost, bareHost, InternalAddressError } from '../net/addressGuard';

const FAMILIES = ['realm', 'org', 'user', 'role', 'membership'];

/** Exact event types, a family such as `membership.*`, or `*`; the default is every event. */
export function parseEventFilter(events: string[] | undefined): string[] {
  if (events === undefined) return ['*'];
  events.forEach((e, i) => {
    const family = e.endsWith('.*') ? e.slice(0, -2) : undefined;
    if (e !== '*' && !(EVENT_TYPES as readonly string[]).includes(e) && !(family && FAMILIES.includes(family))) {
      throw invalid(`events[${i}]`, `must be an event type (${EVENT_TYPES.join(', ')}), a family such as membership.*, or *`);
    }
  });
  return [...new Set(events)];
}

/**
 * An http(s) URL whose host does not resolve into the sidecar's own network (unless allowed):
 * a webhook must not become a way to reach services that only the sidecar can reach.
 */
export async function parseWebhookUrl(raw: string, allowPrivate: boolean): Promise<string> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid('url', 'must be an absolute http or https URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid('url', 'must be an absolute http or https URL');
  if (url.username || url.password) throw invalid('url', 'must not hold credentials');
  if (!allowPrivate) {
    try {
      await assertPublicHost(bareHost(url));
    } catch (err) {
      if (err instanceof InternalAddressError) {
        throw invalid('url', `must not point into the sidecar's own network (${err.message}); set REALMGATE_WEBHOOK_ALLOW_PRIVATE=true for receivers inside it`);
      }
      throw invalid('url', `host '${url.hostname}' cannot be resolved`);
    }
  }
  return url.toString();
}

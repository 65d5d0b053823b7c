/** Where Envoy's HTTP ext_authz calls arrive: this prefix, then the proxied request's own path. */
export const EXT_AUTHZ_PREFIX = '/ext-authz';

/** `/ext-authz`, `/ext-authz/...` or `/ext-authz?...`, never `/ext-authzfoo`. */
export function isExtAuthzUrl(url: string): boolean {
  if (!url.startsWith(EXT_AUTHZ_PREFIX)) return false;
  const after = url.charCodeAt(EXT_AUTHZ_PREFIX.length);
  return Number.isNaN(after) || after === 47 || after === 63;
}

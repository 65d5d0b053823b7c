/** Permission tags (BRIEF semantics 1 and 2). */

export const TAG_PATTERN = /^[A-Za-z0-9*:;._-]{1,62}$/;
export const MAX_TAGS = 2000;

/** Tags are stored and compared in lower case; duplicates collapse. Order is kept for display. */
export function normalizeTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map((t) => t.toLowerCase()))];
}

const compiled = new Map<string, RegExp | null>();

/** A granted tag compiled once: null when it holds no wildcard (plain string equality). */
function compileGrant(granted: string): RegExp | null {
  let re = compiled.get(granted);
  if (re === undefined) {
    if (!granted.includes('*')) {
      re = null;
    } else {
      const body = granted
        .split('*')
        .map((part) => part.replace(/[.\\^$+?()[\]{}|-]/g, '\\$&'))
        .join('[^:.;]+');
      re = new RegExp(`^${body}$`);
    }
    compiled.set(granted, re);
  }
  return re;
}

/**
 * Whether a granted tag allows a requested one. The request is literal: a `*` in it is just a
 * character, which a grant's wildcard may match like any other non-delimiter.
 */
export function grantMatches(requested: string, granted: string): boolean {
  const re = compileGrant(granted);
  return re === null ? requested === granted : re.test(requested);
}

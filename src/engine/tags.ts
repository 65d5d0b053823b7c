/** Permission tags (BRIEF semantics 1 and 2). */

export const TAG_PATTERN = /^[A-Za-z0-9*:;._-]{1,62}$/;
export const MAX_TAGS = 2000;

const DELIMITERS = ':.;';
/** Stands for "any one character" in a compiled segment; never part of a tag. */
const ANY = '?';

/** Tags are stored and compared in lower case; duplicates collapse. Order is kept for display. */
export function normalizeTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map((t) => t.toLowerCase()))];
}

export interface SplitTag {
  segments: string[];
  /** the delimiters between the segments, in order */
  delimiters: string;
}

/** A tag cut at its delimiters: `app.*:x` is segments [app, *, x] with delimiters `.:`. */
export function splitTag(tag: string): SplitTag {
  const segments: string[] = [];
  let delimiters = '';
  let start = 0;
  for (let i = 0; i < tag.length; i += 1) {
    if (DELIMITERS.includes(tag[i])) {
      segments.push(tag.slice(start, i));
      delimiters += tag[i];
      start = i + 1;
    }
  }
  segments.push(tag.slice(start));
  return { segments, delimiters };
}

/**
 * A wildcard grant compiled once: split at its delimiters (a `*` never spans one), each segment's
 * `*` rewritten as ANY followed by `*` ("one or more" = "one, then zero or more").
 */
const compiled = new Map<string, SplitTag>();
/** Grants come and go with the policy; the cache is dropped whole rather than grow without bound. */
const MAX_COMPILED = 100_000;

function compileGrant(granted: string): SplitTag {
  let grant = compiled.get(granted);
  if (!grant) {
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    const { segments, delimiters } = splitTag(granted);
    grant = { segments: segments.map(compileSegment), delimiters };
    compiled.set(granted, grant);
  }
  return grant;
}

/** A granted segment as a glob: each `*` becomes ANY then `*` ("one or more" = "one, then zero or more"). */
export function compileSegment(segment: string): string {
  return segment.replaceAll('*', `${ANY}*`);
}

/**
 * Glob match of one segment (of text[from..to), the whole text by default), where ANY is one
 * character and `*` zero or more. Iterative, going back only to the last `*`: time bounded by text
 * length x pattern length, never exponential.
 */
export function segmentMatches(text: string, pattern: string, from = 0, to = text.length): boolean {
  let t = from;
  let p = 0;
  let star = -1;
  let resume = from;
  while (t < to) {
    // every '*' in a compiled pattern is a wildcard, even where the (literal) text holds a '*' too
    if (p < pattern.length && pattern[p] === '*') {
      star = p;
      resume = t;
      p += 1;
    } else if (p < pattern.length && (pattern[p] === ANY || pattern[p] === text[t])) {
      t += 1;
      p += 1;
    } else if (star !== -1) {
      p = star + 1;
      resume += 1;
      t = resume;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p += 1;
  return p === pattern.length;
}

/**
 * Whether a granted tag allows a requested one. The request is literal: a `*` in it is just a
 * character, which a grant's wildcard may match like any other non-delimiter.
 */
export function grantMatches(requested: string, granted: string): boolean {
  if (!granted.includes('*')) return requested === granted;
  const grant = compileGrant(granted);
  const request = splitTag(requested);
  if (request.delimiters !== grant.delimiters) return false;
  return grant.segments.every((pattern, i) => segmentMatches(request.segments[i], pattern));
}

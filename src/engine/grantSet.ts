import { compileSegment, segmentMatches, splitTag, type SplitTag } from './tags';

/**
 * A requested permission, cut at its delimiters at most once per check however many grant sets
 * it meets.
 */
export class Requested {
  private cut: SplitTag | undefined;
  private positions: number[] | undefined;

  constructor(readonly tag: string) {}

  /** Segments and delimiters as strings (for the trie of a long list). */
  get split(): SplitTag {
    this.cut ??= splitTag(this.tag);
    return this.cut;
  }

  /** Where the delimiters stand: segment i runs from after delimiter i-1 to before delimiter i. */
  get delimiterPositions(): number[] {
    if (this.positions === undefined) {
      const positions: number[] = [];
      for (let i = 0; i < this.tag.length; i += 1) {
        const c = this.tag.charCodeAt(i);
        if (c === COLON || c === DOT || c === SEMICOLON) positions.push(i);
      }
      this.positions = positions;
    }
    return this.positions;
  }
}

const COLON = 58;
const DOT = 46;
const SEMICOLON = 59;

/**
 * Up to this many tags of a kind, a list is kept flat: literal tags in one string, wildcard tags
 * in an array, searched in place. That costs less time and far less memory than a hash set or a
 * trie (one string is one or two cache lines, where a set is a table plus a string per tag), and
 * the bound keeps a check's cost constant. Longer lists are hashed (literal tags) or put in a
 * trie (wildcard tags).
 */
const SMALL = 8;
/** Separates literal tags in their joined form; never part of a tag. */
const SEPARATOR = ' ';
const SEPARATOR_CODE = 32;

/** Whether `tag` is one of the tags in `joined` (` a b c `). */
function inJoined(joined: string, tag: string): boolean {
  if (tag.includes(SEPARATOR)) return false; // no tag holds one; a request that does spans two
  let at = joined.indexOf(tag);
  while (at !== -1) {
    if (joined.charCodeAt(at - 1) === SEPARATOR_CODE && joined.charCodeAt(at + tag.length) === SEPARATOR_CODE) return true;
    at = joined.indexOf(tag, at + 1);
  }
  return false;
}

/** A wildcard grant compiled once: its delimiters, and its segments, literal or as globs. */
interface CompiledWildcard {
  tag: string;
  delimiters: string;
  segments: string[];
  globs: boolean[];
}

function compileWildcard(tag: string): CompiledWildcard {
  const { segments, delimiters } = splitTag(tag);
  const globs = segments.map((s) => s.includes('*'));
  return { tag, delimiters, segments: segments.map((s, i) => (globs[i] ? compileSegment(s) : s)), globs };
}

/** Matches the request in place, segment by segment, without cutting it into strings. */
function wildcardMatches(grant: CompiledWildcard, requested: Requested): boolean {
  const positions = requested.delimiterPositions;
  const { tag } = requested;
  const { delimiters, segments, globs } = grant;
  if (positions.length !== delimiters.length) return false;
  for (let i = 0; i < positions.length; i += 1) {
    if (tag.charCodeAt(positions[i]) !== delimiters.charCodeAt(i)) return false;
  }
  for (let i = 0; i < segments.length; i += 1) {
    const from = i === 0 ? 0 : positions[i - 1] + 1;
    const to = i === positions.length ? tag.length : positions[i];
    const pattern = segments[i];
    if (globs[i]) {
      if (!segmentMatches(tag, pattern, from, to)) return false;
    } else if (to - from !== pattern.length || !tag.startsWith(pattern, from)) {
      return false;
    }
  }
  return true;
}

/** One level of the wildcard trie: a grant's segment, keyed by the delimiter before it. */
interface TrieNode {
  /** segments without `*`, keyed by delimiter + segment */
  literal?: Map<string, TrieNode>;
  /** segments with `*`, compiled once */
  globs?: { delimiter: string; pattern: string; next: TrieNode }[];
  /** the position in the tag list of the first wildcard grant that ends here */
  end?: number;
}

/**
 * The tags one membership or one role grants, compiled once when written. Finding the grant that
 * allows a request never depends on the size of the policy, and on long lists not on their
 * length either: literal tags are hashed, wildcard tags sit in a trie with one level per segment.
 * The literal grant wins when there is one, otherwise the first matching wildcard in list order.
 */
export class GrantSet {
  static readonly EMPTY = new GrantSet([]);

  /** literal tags: joined (` a b c `) when few, else a hash set */
  private readonly literal: string | Set<string> | undefined;
  private readonly wildcards: readonly CompiledWildcard[] | undefined;
  private readonly trie: TrieNode | undefined;

  private constructor(tags: readonly string[]) {
    const literal = tags.filter((t) => !t.includes('*'));
    const wildcards = tags.filter((t) => t.includes('*'));
    if (literal.length > 0) this.literal = literal.length <= SMALL ? `${SEPARATOR}${literal.join(SEPARATOR)}${SEPARATOR}` : new Set(literal);
    if (wildcards.length > 0) {
      this.wildcards = wildcards.map(compileWildcard);
      if (wildcards.length > SMALL) {
        const root: TrieNode = {};
        this.wildcards.forEach((grant, position) => insert(root, grant, position));
        this.trie = root;
      }
    }
  }

  /** Tags are already normalised (lower case, no duplicates). */
  static of(tags: readonly string[]): GrantSet {
    return tags.length === 0 ? GrantSet.EMPTY : new GrantSet(tags);
  }

  /** The granted tag that allows the request, or undefined. */
  find(requested: Requested): string | undefined {
    const literal = this.literal;
    if (literal !== undefined && (typeof literal === 'string' ? inJoined(literal, requested.tag) : literal.has(requested.tag))) {
      return requested.tag;
    }
    const wildcards = this.wildcards;
    if (wildcards === undefined) return undefined;
    if (this.trie === undefined) {
      for (const grant of wildcards) if (wildcardMatches(grant, requested)) return grant.tag;
      return undefined;
    }
    const request = requested.split;
    const first = lookup(this.trie, request.segments, request.delimiters, 0);
    return first === undefined ? undefined : wildcards[first].tag;
  }
}

function insert(root: TrieNode, grant: CompiledWildcard, position: number): void {
  let node = root;
  grant.segments.forEach((segment, i) => {
    const delimiter = i === 0 ? '' : grant.delimiters[i - 1];
    if (grant.globs[i]) {
      node.globs ??= [];
      let glob = node.globs.find((g) => g.delimiter === delimiter && g.pattern === segment);
      if (!glob) {
        glob = { delimiter, pattern: segment, next: {} };
        node.globs.push(glob);
      }
      node = glob.next;
    } else {
      node.literal ??= new Map();
      const key = delimiter + segment;
      let next = node.literal.get(key);
      if (!next) {
        next = {};
        node.literal.set(key, next);
      }
      node = next;
    }
  });
  if (node.end === undefined) node.end = position;
}

/** The lowest position of a wildcard grant matching segments[i..] from this node, or undefined. */
function lookup(node: TrieNode, segments: string[], delimiters: string, i: number): number | undefined {
  if (i === segments.length) return node.end;
  const delimiter = i === 0 ? '' : delimiters[i - 1];
  const segment = segments[i];
  let best: number | undefined;
  const literal = node.literal?.get(delimiter + segment);
  if (literal) best = lookup(literal, segments, delimiters, i + 1);
  if (node.globs) {
    for (const glob of node.globs) {
      if (glob.delimiter !== delimiter || !segmentMatches(segment, glob.pattern)) continue;
      const found = lookup(glob.next, segments, delimiters, i + 1);
      if (found !== undefined && (best === undefined || found < best)) best = found;
    }
  }
  return best;
}

import { compileSegment, segmentMatches, splitTag, type SplitTag } from './tags';

/**
 * A requested permission, cut at its delimiters at most once per check however many grant sets
 * it meets.
 */
export class Requested {
  private cut: SplitTag | undefined;

  constructor(readonly tag: string) {}

  get split(): SplitTag {
    this.cut ??= splitTag(this.tag);
    return this.cut;
  }
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
 * The tags one membership or one role grants, compiled once when written: literal tags in a hash
 * set, wildcard tags in a trie with one level per segment. Finding the grant that allows a request
 * costs one hash lookup plus a walk down the trie, whatever the number of tags; it never scans
 * the list. The literal grant wins when there is one, otherwise the first matching wildcard grant
 * in the list's order.
 */
export class GrantSet {
  static readonly EMPTY = new GrantSet([]);

  private readonly literal: Set<string> | undefined;
  private readonly wildcards: string[] | undefined;
  private readonly trie: TrieNode | undefined;

  private constructor(tags: readonly string[]) {
    const literal = tags.filter((t) => !t.includes('*'));
    const wildcards = tags.filter((t) => t.includes('*'));
    if (literal.length > 0) this.literal = new Set(literal);
    if (wildcards.length > 0) {
      this.wildcards = wildcards;
      this.trie = {};
      wildcards.forEach((tag, position) => insert(this.trie as TrieNode, tag, position));
    }
  }

  /** Tags are already normalised (lower case, no duplicates). */
  static of(tags: readonly string[]): GrantSet {
    return tags.length === 0 ? GrantSet.EMPTY : new GrantSet(tags);
  }

  /** The granted tag that allows the request, or undefined. */
  find(requested: Requested): string | undefined {
    if (this.literal?.has(requested.tag)) return requested.tag;
    if (!this.trie || !this.wildcards) return undefined;
    const { segments, delimiters } = requested.split;
    const first = lookup(this.trie, segments, delimiters, 0);
    return first === undefined ? undefined : this.wildcards[first];
  }
}

function insert(root: TrieNode, tag: string, position: number): void {
  const { segments, delimiters } = splitTag(tag);
  let node = root;
  segments.forEach((segment, i) => {
    const delimiter = i === 0 ? '' : delimiters[i - 1];
    if (segment.includes('*')) {
      const pattern = compileSegment(segment);
      node.globs ??= [];
      let glob = node.globs.find((g) => g.delimiter === delimiter && g.pattern === pattern);
      if (!glob) {
        glob = { delimiter, pattern, next: {} };
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

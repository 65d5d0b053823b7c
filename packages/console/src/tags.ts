/**
 * Permission tags as realmgate takes them: 1 to 62 characters of A-Z a-z 0-9 * : ; . _ -, stored in
 * lower case (so `Orders:RW` and `orders:rw` are one tag), at most 2000 in a list. In a granted
 * tag, `*` stands for one or more characters other than the delimiters `:` `.` `;`.
 */
export const TAG_PATTERN = /^[A-Za-z0-9*:;._-]{1,62}$/;
export const MAX_TAGS = 2000;
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
export const USER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.@+|:=~-]{0,127}$/;

export interface TagProblem {
  tag: string;
  message: string;
}

/** Splits a typed list at commas, spaces and new lines. */
export function splitList(text: string): string[] {
  return text.split(/[\s,]+/).filter((t) => t !== '');
}

/** What is wrong with each tag of a list, in the server's terms; empty when the server would take it. */
export function tagProblems(tags: readonly string[]): TagProblem[] {
  const problems: TagProblem[] = [];
  if (tags.length > MAX_TAGS) problems.push({ tag: '', message: `at most ${MAX_TAGS} tags, got ${tags.length}` });
  const seen = new Set<string>();
  for (const tag of tags) {
    if (tag.length > 62) problems.push({ tag, message: `is ${tag.length} characters long; at most 62` });
    else if (!TAG_PATTERN.test(tag)) {
      const bad = [...new Set([...tag].filter((c) => !/[A-Za-z0-9*:;._-]/.test(c)))].join(' ');
      problems.push({ tag, message: `holds ${bad}: only letters, digits and * : ; . _ - may be used` });
    }
    const lower = tag.toLowerCase();
    if (seen.has(lower)) problems.push({ tag, message: 'is listed twice (tags are compared in lower case)' });
    seen.add(lower);
  }
  return problems;
}

export const isWildcard = (tag: string): boolean => tag.includes('*');

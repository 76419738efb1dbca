/**
 * Whether the body of a server-action request (one with a `Next-Action` header) is one Next's
 * decoder can read. Next answers a body it cannot decode with a bare 500 (an error row and a
 * digest); proxy.ts asks this first and answers 400 instead, before Next decodes anything.
 *
 * Only the platform's own parsers read the body (`Request.formData()` for multipart, `JSON.parse`
 * for the rest), and nothing is decoded into values: what is checked is the shape of React's reply
 * format that every browser submission has —
 *   - multipart (Next's own test: the content type starts with `multipart/form-data`) that
 *     `formData()` can read, with a root part `0`; any other body is the root itself;
 *   - the root is JSON, and a list: the arguments the action is called with;
 *   - every `$` reference in it (and in the parts it points to) names a part that is there, does
 *     not walk through `__proto__`, `constructor` or `prototype`, and is not a server reference
 *     (`$h`, `$F`: a form never sends a function).
 * Everything else (the values, their types, the action id) is left to Next and to the action,
 * which refuses wrong values with its own messages.
 *
 * Returns null when the body may go on to Next, else a short reason (for the 400's text).
 */

/** Tags whose value is in the string itself: they point to no other part. */
const INLINE_TAGS = new Set(['$', 'u', 'D', 'I', '-', 'N', 'T', 'K', 'H']);
/** Tags whose part is itself JSON of the reply format (a model, promise, Map, Set, iterator). */
const JSON_PART_TAGS = new Set(['', '@', 'Q', 'W', 'i']);
const UNSAFE_PATH = new Set(['__proto__', 'constructor', 'prototype']);

export async function actionBodyProblem(request: Request): Promise<string | null> {
  const contentType = request.headers.get('content-type') ?? '';
  let root: string | null;
  let part: (name: string) => FormDataEntryValue | null;
  if (contentType.startsWith('multipart/form-data')) {
    let form: FormData;
    try {
      form = await request.formData();
    } catch {
      return 'the multipart body cannot be read';
    }
    const value = form.get('0');
    root = typeof value === 'string' ? value : null;
    part = (name) => form.get(name);
  } else {
    // React reads a body that is not multipart as the root part alone.
    const text = await request.text();
    root = text;
    part = (name) => (name === '0' ? text : null);
  }
  if (root === null) return 'the body has no root part';

  let args: unknown;
  try {
    args = JSON.parse(root);
  } catch {
    return 'the arguments are not JSON';
  }
  if (!Array.isArray(args)) return 'the arguments are not a list';

  // Every string in the root and in the JSON parts it points to, each part once.
  const seenParts = new Set<string>(['0']);
  const stack: unknown[] = [args];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) {
      for (const item of value) stack.push(item); // not push(...value): a list may be millions long
    } else if (value !== null && typeof value === 'object') {
      for (const key in value) stack.push((value as Record<string, unknown>)[key]);
    } else if (typeof value === 'string' && value.startsWith('$')) {
      const problem = referenceProblem(value);
      if (problem) return problem;
      const ref = partReference(value);
      if (!ref) continue;
      if (ref.path.some((segment) => UNSAFE_PATH.has(segment))) return `the reference ${short(value)} walks through an object's prototype`;
      const target = part(ref.part);
      if (target === null) return `the reference ${short(value)} names a part that is not there`;
      if (JSON_PART_TAGS.has(ref.tag) && !seenParts.has(ref.part)) {
        seenParts.add(ref.part);
        if (typeof target !== 'string') return `the part ${ref.part} is not JSON`;
        try {
          stack.push(JSON.parse(target));
        } catch {
          return `the part ${ref.part} is not JSON`;
        }
      }
    }
  }
  return null;
}

/** A reference that is refused whatever the parts: a server reference, an impossible BigInt, an unknown form. */
function referenceProblem(value: string): string | null {
  const tag = value[1];
  if (tag === 'h' || tag === 'F') return 'the arguments hold a server reference';
  if (tag === 'n' && !/^\$n-?\d{1,300}$/.test(value)) return `${short(value)} is not a number`;
  if (tag !== undefined && INLINE_TAGS.has(tag)) return null;
  if (tag === 'n') return null;
  if (!partReference(value)) return `${short(value)} is not a reference`;
  return null;
}

/**
 * `$<id>[:path]` (a model) or `$<tag><id>[:path]`, the id in hexadecimal; the part's name is the
 * id in decimal (React's reply format, with Next's empty prefix).
 */
function partReference(value: string): { tag: string; part: string; path: string[] } | null {
  const tag = value[1];
  if (tag === undefined || INLINE_TAGS.has(tag) || tag === 'n' || tag === 'h' || tag === 'F') return null;
  const match = /^\$([^0-9a-f]?)([0-9a-f]+)((?::[^:]*)*)$/.exec(value);
  if (!match) return null;
  return { tag: match[1], part: String(parseInt(match[2], 16)), path: match[3] ? match[3].slice(1).split(':') : [] };
}

const short = (value: string) => JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);

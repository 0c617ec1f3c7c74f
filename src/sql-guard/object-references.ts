import type { Token } from './tsql-lexer.ts';
import type { QueryShape } from './query-parser.ts';
import { resolveName, type ObjectPolicy } from './object-policy.ts';
import { MAX_REFERENCES, resolutionCheck, type CheckedReference, type ResolutionCheck } from './resolution-check.ts';
import { ODD_IDENTIFIER_CHARACTER } from './token-scan.ts';
import { deniedObjectReason, foldName } from './word-rules.ts';
import { excerpt, where, type Refusal } from './refusal.ts';

/** What the references of an accepted query add to the verdict. */
export interface JudgedReferences {
  /** The objects read, as `schema.name` (lower case). */
  tables: string[];
  /** The server-side resolution of every judged reference, run before the query. */
  check?: ResolutionCheck;
  /** How each checked reference was written, for messages (index = THROW state − 1). */
  spelled: string[];
}

/** Methods of the CLR types (geography, geometry, hierarchyid) that look like `schema.function(…)`. */
const METHOD =
  /^(ST[A-Z][A-Za-z]*|Get(Ancestor|Descendant|Level|Root|ReparentedValue)|IsDescendantOf|Parse|Read|Write|ToString|AsGml|AsTextZM|BufferWithTolerance|CurveToLineWithTolerance|EnvelopeAngle|EnvelopeCenter|Filter|HasM|HasZ|InstanceOf|IsNull|IsValidDetailed|MakeValid|MinDbCompatibilityLevel|NumRings|Reduce|ReorientObject|RingN|ShortestLineTo)$/i;

const SYSTEM_SCHEMAS = new Set(['SYS', 'INFORMATION_SCHEMA']);

/**
 * Judges every object the query names against the policy, wherever it appears: table sources
 * (including CHANGETABLE, PREDICT and full-text table arguments), schema-qualified function calls,
 * and names given as text to OBJECT_ID and similar functions. Under an allow-list a user function
 * must be allowed like a table; an argument that is not a literal name is refused under any list.
 * Returns a refusal, or the tables read and the server-side check of the names.
 */
export function judgeReferences(objects: ObjectPolicy, shape: QueryShape, sig: readonly Token[], sql: string): Refusal | JudgedReferences {
  const tables = new Set<string>();
  const checked: CheckedReference[] = [];
  const spelled: string[] = [];
  for (const ref of shape.objects) {
    const offset = (sig[ref.index] as Token).start;
    const at = where(sql, offset);
    if (ref.kind === 'dynamic') {
      if (!objects.restrictive) continue;
      return {
        code: 'OBJECT_NOT_ALLOWED',
        reason: `The object name ${at} is computed, so the connector cannot tell which table it names; with table restrictions configured, write the name as a literal.`,
        hint: "Write the table name as text, e.g. OBJECT_ID('sales.Orders').",
        offset,
      };
    }
    const cteDeclaredAt = ref.parts.length === 1 ? shape.cteNames.get(foldName(ref.parts[0] ?? '')) : undefined;
    if (ref.kind !== 'name' && cteDeclaredAt !== undefined && cteDeclaredAt < ref.index) continue;
    const name = resolveName(ref.parts);
    if (ref.kind === 'table' && name.name.startsWith('#')) {
      // A single read-only statement cannot have created a temporary table: this one is another session's.
      return {
        code: 'READ_ONLY_VIOLATION',
        reason: `Temporary tables cannot be read: found ${excerpt(ref.parts.join('.'))} ${at}.`,
        hint: 'Query the tables of the database instead.',
        offset,
      };
    }
    if (ref.kind === 'name') {
      const odd = ref.parts.find((p) => ODD_IDENTIFIER_CHARACTER.test(p));
      const system = deniedObjectReason(ref.parts);
      if (odd !== undefined || system !== undefined) {
        return {
          code: 'READ_ONLY_VIOLATION',
          reason: `The object named ${at} cannot be used: ${system ?? 'the name contains a control, invisible or unassigned character'}.`,
          hint: 'Write names exactly as the catalog spells them (use "list tables").',
          offset,
        };
      }
    }
    const method = ref.kind === 'function' && METHOD.test(ref.parts[ref.parts.length - 1] ?? '');
    let allowed: boolean;
    if (ref.kind === 'function' && !objects.allowList) allowed = !objects.denies(name.schema, name.name);
    else allowed = method || objects.allows(name.schema, name.name);
    if (!allowed) return notAllowed(`${name.schema}.${name.name}`, at, offset);
    if (ref.kind === 'table') tables.add(`${name.schema}.${name.name}`);
    const system = SYSTEM_SCHEMAS.has(foldName(ref.parts[ref.parts.length - 2] ?? ''));
    checked.push({
      parts: ref.parts,
      // A method exempted under an allow-list must not turn out to be a user function.
      expect:
        method && objects.allowList && !objects.allows(name.schema, name.name)
          ? 'never'
          : ref.kind === 'table' && !system
            ? 'resolve'
            : 'if-resolves',
      sameDatabase: objects.allowList,
      noSynonym: objects.restrictive && ref.kind !== 'name',
      defaultSchema: 'dbo',
    });
    spelled.push(ref.parts.join('.'));
  }
  if (checked.length > MAX_REFERENCES) {
    return {
      code: 'SQL_TOO_LONG',
      reason: `The query names ${checked.length} objects; at most ${MAX_REFERENCES} are accepted.`,
      hint: 'Split the question into several queries.',
    };
  }
  const check = resolutionCheck(checked);
  return check === undefined ? { tables: [...tables], spelled } : { tables: [...tables], check, spelled };
}

/** The refusal for an object outside the configured lists. */
export function notAllowed(name: string, at: string, offset: number | undefined): Refusal {
  const refusal: Refusal = {
    code: 'OBJECT_NOT_ALLOWED',
    reason: `The table or view ${name}${at ? ` ${at}` : ''} is not available through this connector.`,
    hint: 'Use "list tables" to see which tables can be queried.',
  };
  if (offset !== undefined) refusal.offset = offset;
  return refusal;
}

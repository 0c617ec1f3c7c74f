/**
 * Length-prefixing the scope makes the composite key unambiguous: scope `a:b` with key `c` can
 * never meet scope `a` with key `b:c`, so one principal cannot name another's entry.
 */
export const compositeKey = (scope: string, key: string): string => `${scope.length}:${scope}\u0000${key}`;

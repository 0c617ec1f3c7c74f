import { HttpError } from './http.ts';
import type { Check, CheckResult, DoctorContext } from './types.ts';

/** Runs the checks in order; a check that throws is reported as a FAIL naming the exception, never aborts the run. */
export async function runChecks(ctx: DoctorContext, checks: readonly Check[]): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const [index, check] of checks.entries()) {
    try {
      results.push(...(await check.run(ctx)));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      results.push(
        error instanceof HttpError
          ? {
              status: 'FAIL',
              name: check.name,
              detail: `request failed: ${error.code} (${message})`,
              fix: 'the server stopped answering; see the lines above and docker compose logs nginx',
            }
          : {
              status: 'FAIL',
              name: check.name,
              detail: `the check itself failed: ${message}`,
              fix: 'report this as a doctor bug, with the output above',
            },
      );
    }
    if (results.some((r) => r.fatal) && index < checks.length - 1) {
      results.push({
        status: 'SKIP',
        name: 'remaining checks',
        detail: `${checks
          .slice(index + 1)
          .map((c) => c.name)
          .join(', ')}: the server cannot be reached`,
      });
      break;
    }
  }
  return results;
}

/** `STATUS name — detail — fix`, one line, no line breaks inside. */
export function formatResult(result: CheckResult): string {
  const parts = [`${result.status} ${result.name}`, result.detail];
  if (result.fix && result.status !== 'PASS') parts.push(result.fix);
  return parts.map((p) => p.replace(/\s*\n\s*/g, ' ')).join(' — ');
}

/** Exit code: 1 when anything FAILed, else 0. */
export function exitCodeFor(results: readonly CheckResult[]): number {
  return results.some((r) => r.status === 'FAIL') ? 1 : 0;
}

export function summary(results: readonly CheckResult[]): string {
  const count = (s: CheckResult['status']) => results.filter((r) => r.status === s).length;
  return `${count('PASS')} passed, ${count('WARN')} warnings, ${count('FAIL')} failed, ${count('SKIP')} skipped`;
}

/**
 * Real components a test needs (rsyslog today). Under CI=true a missing component is a failure:
 * `.ci/run` installs each one, so its absence there means the install step broke and a green run
 * would hide it. On a developer's machine the tests are skipped, with one loud line saying what to
 * install.
 */
export interface ComponentAvailability {
  ok: boolean;
  why: string;
}

export const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

/**
 * Returns whether the tests that need `component` should run. Throws under CI when it is missing,
 * which fails the test file at collection with the reason.
 */
export function requireComponent(component: string, avail: ComponentAvailability, install: string): boolean {
  if (avail.ok) return true;
  const line = `${component.toUpperCase()} NOT AVAILABLE (${avail.why}): its tests are skipped — ${install}`;
  if (IN_CI) throw new Error(`CI=true and a required test component is missing: ${line}`);
  console.warn(`\n!!! ${line}\n`);
  return false;
}
